import "server-only";
import path from "node:path";
import { serverEnv } from "@/lib/env";
import { fsBlobStore } from "./fs-store";
import { s3BlobStore } from "./s3-store";
import type { BlobStore } from "./store";

export { BlobHashMismatchError, SHA256_RE, sha256Hex, type BlobStore } from "./store";
export { fsBlobStore } from "./fs-store";
export { s3BlobStore, type S3BlobStoreOptions } from "./s3-store";

let store: BlobStore | undefined;

/** The configured store (BLOB_STORE=fs → BLOB_DIR, s3 → S3_*), one per process. */
export function blobStore(): BlobStore {
  if (store) return store;
  const env = serverEnv();
  store =
    env.BLOB_STORE === "s3"
      ? s3BlobStore({
          bucket: env.S3_BUCKET!,
          region: env.S3_REGION,
          endpoint: env.S3_ENDPOINT,
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
          credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
        })
      : fsBlobStore(path.resolve(env.BLOB_DIR));
  return store;
}
export { blobParamsSchema } from "./schemas";
