import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsBlobStore } from "./fs-store";
import { s3BlobStore } from "./s3-store";
import { BlobHashMismatchError, sha256Hex, type BlobStore } from "./store";

// One contract, two implementations: the filesystem store and an S3 bucket served by s3rver
// (a real S3 API on loopback, started here).
const stores: { name: string; open: () => Promise<{ store: BlobStore; close: () => Promise<void> }> }[] = [
  {
    name: "filesystem",
    async open() {
      const dir = await mkdtemp(path.join(tmpdir(), "corex-blobs-"));
      return { store: fsBlobStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: "S3 (s3rver)",
    async open() {
      const dir = await mkdtemp(path.join(tmpdir(), "corex-s3rver-"));
      const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir });
      const { port } = (await server.run()) as AddressInfo;
      const endpoint = `http://127.0.0.1:${port}`;
      const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
      const admin = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials });
      await admin.send(new CreateBucketCommand({ Bucket: "corex-test" }));
      admin.destroy();
      const store = s3BlobStore({ bucket: "corex-test", region: "us-east-1", endpoint, forcePathStyle: true, credentials, prefix: "t/" });
      return {
        store,
        async close() {
          await server.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

for (const impl of stores) {
  describe(`blob store contract: ${impl.name}`, () => {
    let store: BlobStore;
    let close: () => Promise<void>;
    beforeAll(async () => ({ store, close } = await impl.open()));
    afterAll(() => close?.());

    const bytes = new Uint8Array([1, 2, 3, 250, 0, 7]);
    const sha = sha256Hex(bytes);

    it("stores bytes under their sha-256 and gives them back unchanged", async () => {
      expect(await store.has(sha)).toBe(false);
      expect(await store.get(sha)).toBeNull();
      expect(await store.put(bytes)).toEqual({ sha256: sha, size: 6 });
      expect(await store.has(sha)).toBe(true);
      expect(Array.from((await store.get(sha))!)).toEqual(Array.from(bytes));
    });

    it("is idempotent: the same bytes twice are one blob", async () => {
      expect((await store.put(bytes, sha)).sha256).toBe(sha);
      expect(Array.from((await store.get(sha))!)).toEqual(Array.from(bytes));
    });

    it("checks the hash on write: bytes that do not match the expected name are refused and not stored", async () => {
      const other = new Uint8Array([9, 9, 9]);
      const wrong = "0".repeat(64);
      await expect(store.put(other, wrong)).rejects.toBeInstanceOf(BlobHashMismatchError);
      expect(await store.has(wrong)).toBe(false);
      expect(await store.has(sha256Hex(other))).toBe(false);
    });

    it("handles a large blob (4 MiB) and the empty blob", async () => {
      const big = new Uint8Array(4 * 1024 * 1024).map((_, i) => (i * 31) & 0xff);
      const { sha256 } = await store.put(big);
      expect(sha256Hex((await store.get(sha256))!)).toBe(sha256);
      const empty = await store.put(new Uint8Array());
      expect((await store.get(empty.sha256))!.byteLength).toBe(0);
    });

    it("refuses names that are not sha-256 hex (no path tricks)", async () => {
      await expect(store.get("../../etc/passwd")).rejects.toThrow(/sha-256/);
    });

    it("deletes", async () => {
      await store.delete(sha);
      expect(await store.has(sha)).toBe(false);
    });
  });
}
