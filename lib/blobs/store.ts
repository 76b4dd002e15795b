import { createHash } from "node:crypto";

/** Blobs are named by the lower-case hex sha-256 of their bytes. */
export const SHA256_RE = /^[0-9a-f]{64}$/;

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export class BlobHashMismatchError extends Error {
  constructor(readonly expected: string, readonly actual: string) {
    super(`blob content hashes to ${actual}, not ${expected}`);
    this.name = "BlobHashMismatchError";
  }
}

/**
 * Content-addressed storage. `put` hashes the bytes and refuses them if an expected hash is given
 * and differs; writing the same bytes twice is a no-op. Implementations: filesystem, S3.
 */
export type BlobStore = {
  readonly kind: "fs" | "s3";
  put(bytes: Uint8Array, expectedSha256?: string): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
  delete(sha256: string): Promise<void>;
};

export function checkedHash(bytes: Uint8Array, expected?: string): string {
  const actual = sha256Hex(bytes);
  if (expected !== undefined && expected.toLowerCase() !== actual) throw new BlobHashMismatchError(expected.toLowerCase(), actual);
  return actual;
}

export function assertSha(sha256: string): void {
  if (!SHA256_RE.test(sha256)) throw new Error(`not a lower-case hex sha-256: ${sha256}`);
}
