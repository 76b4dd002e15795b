import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { assertSha, checkedHash, type BlobStore } from "./store";

export type S3BlobStoreOptions = {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** key prefix inside the bucket */
  prefix?: string;
};

const missing = (e: unknown) =>
  e instanceof NoSuchKey || e instanceof NotFound || (e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404);

/** Blobs as objects `<prefix>blobs/<sha256>` in an S3-compatible bucket. */
export function s3BlobStore(opts: S3BlobStoreOptions): BlobStore {
  const client = new S3Client({ region: opts.region, endpoint: opts.endpoint, forcePathStyle: opts.forcePathStyle, credentials: opts.credentials });
  const key = (sha: string) => {
    assertSha(sha);
    return `${opts.prefix ?? ""}blobs/${sha}`;
  };
  const has = async (sha: string) => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: opts.bucket, Key: key(sha) }));
      return true;
    } catch (e) {
      if (missing(e)) return false;
      throw e;
    }
  };
  return {
    kind: "s3",
    async put(bytes, expected) {
      const sha256 = checkedHash(bytes, expected);
      if (!(await has(sha256))) {
        await client.send(
          new PutObjectCommand({
            Bucket: opts.bucket,
            Key: key(sha256),
            Body: bytes,
            ContentType: "application/octet-stream",
            CacheControl: "public, max-age=31536000, immutable",
          }),
        );
      }
      return { sha256, size: bytes.byteLength };
    },
    async get(sha) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: opts.bucket, Key: key(sha) }));
        const bytes = await res.Body!.transformToByteArray();
        // A bucket is outside our control: never serve bytes that are not what their name says.
        checkedHash(bytes, sha);
        return bytes;
      } catch (e) {
        if (missing(e)) return null;
        throw e;
      }
    },
    has,
    async delete(sha) {
      await client.send(new DeleteObjectCommand({ Bucket: opts.bucket, Key: key(sha) }));
    },
  };
}
