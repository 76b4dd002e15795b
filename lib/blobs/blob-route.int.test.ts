import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { params, req, useAppEnv } from "@/test/support/app-env";
import { sha256Hex } from "./store";

// The app configured by env for an S3 bucket (BLOB_STORE=s3, S3_*): blobs written through
// blobStore() are served by GET /api/blobs/{sha256} from the bucket.
describe("GET /api/blobs/{sha256} with BLOB_STORE=s3 (s3rver)", () => {
  let server: S3rver;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "corex-s3-route-"));
    server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir });
    const { port } = (await server.run()) as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    const admin = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    await admin.send(new CreateBucketCommand({ Bucket: "corex-app" }));
    admin.destroy();
    useAppEnv({
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/unused",
      RPC_URL: "http://127.0.0.1:1",
      BLOB_STORE: "s3",
      S3_BUCKET: "corex-app",
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: "1",
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
    });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("serves what the configured store holds, immutable, with the hash as ETag", async () => {
    const { blobStore } = await import("./index");
    const route = await import("@/app/api/blobs/[sha256]/route");
    expect(blobStore().kind).toBe("s3");
    const bytes = new TextEncoder().encode("weights of round 0");
    const { sha256 } = await blobStore().put(bytes);
    expect(sha256).toBe(sha256Hex(bytes));
    const res = await route.GET(req(`/api/blobs/${sha256}`), params({ sha256 }));
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe(`"${sha256}"`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe("weights of round 0");
    const missing = "f".repeat(64);
    expect((await route.GET(req(`/api/blobs/${missing}`), params({ sha256: missing }))).status).toBe(404);
  });
});
