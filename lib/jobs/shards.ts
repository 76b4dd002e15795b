import "server-only";
// A job's shard and held-out blobs, written once per dataset and split.
//
// Blobs are content-addressed, so two jobs cutting the same dataset the same way name the same blobs.
// A job names its split (`split_key`: dataset blob, split rule, seed, S); a second job with a key a
// live job already has takes that job's blob list and cuts, encodes and writes nothing (an MNIST job
// is about 25 MB of shards). Blobs of jobs that never got an on-chain task are collected later
// (expiry.ts): writing and naming blobs here (a shared advisory lock, held until the job row commits)
// and collecting them there (the same lock, exclusive) never interleave, so a blob a new job names is
// never deleted under it.
import type { BlobStore } from "@/lib/blobs";
import type { Prisma, PrismaClient } from "@/lib/db";

/** pg advisory lock class of blob writes against collection ('BLOB'); the second key is 0. */
export const BLOB_LOCK_CLASS = 0x424c4f42;

export type BlobRef = { sha256: string; rows: number };
export type SplitBlobs = { shards: BlobRef[]; heldOut: BlobRef };
type Encoded = { bytes: Uint8Array; rows: number };
export type EncodedSplit = { shards: Encoded[]; heldOut: Encoded };

/** A split, named by everything its bytes depend on, and how to cut it when no live job has it. */
export type SplitSource = { key: string; cut: () => EncodedSplit | Promise<EncodedSplit> };

/** Key of a CXDS table's split (lib/datasets/split.ts): the table blob, its fixed held-out rows, seed and S. */
export const tableSplitKey = (datasetSha256: string, fixedHeldOutRows: number | null, h: { seed: number; shards: number }) =>
  `table/1:${datasetSha256}:${fixedHeldOutRows ?? "-"}:${h.seed}:${h.shards}`;

/** Key of a text corpus cut into windows (lib/datasets/text/windows.ts) and dealt into S shards. */
export const tokenSplitKey = (corpusSha256: string, context: number, validationWindows: number, h: { seed: number; shards: number }) =>
  `tokens/1:${corpusSha256}:${context}:${validationWindows}:${h.seed}:${h.shards}`;

/** The blobs of a live job with this split, when every one of them is still in the store. */
async function reusableSplit(tx: Prisma.TransactionClient, store: BlobStore, key: string): Promise<SplitBlobs | null> {
  const row = await tx.job.findFirst({ where: { splitKey: key, status: { not: "expired" } }, orderBy: { createdAt: "desc" }, select: { spec: true } });
  if (!row) return null;
  const { shards, heldOut } = row.spec as SplitBlobs;
  // A blob lost outside this code (a wiped BLOB_DIR) is cut and written again rather than named.
  for (const b of [...shards, heldOut]) if (!(await store.has(b.sha256))) return null;
  return { shards, heldOut };
}

async function writeSplit(store: BlobStore, split: EncodedSplit): Promise<SplitBlobs> {
  const put = async (e: Encoded) => ({ sha256: (await store.put(e.bytes)).sha256, rows: e.rows });
  const shards: BlobRef[] = [];
  for (const s of split.shards) shards.push(await put(s));
  return { shards, heldOut: await put(split.heldOut) };
}

/**
 * Finds or writes the split's blobs and inserts the job that names them, in one transaction under
 * the shared blob lock (expiry's collection waits for it, so it sees the new job's references).
 */
export async function withSplitBlobs<T>(
  ctx: { db: PrismaClient; store: BlobStore }, split: SplitSource, insert: (tx: Prisma.TransactionClient, blobs: SplitBlobs) => Promise<T>,
): Promise<T> {
  return ctx.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${BLOB_LOCK_CLASS}::int, 0)`;
      const blobs = (await reusableSplit(tx, ctx.store, split.key)) ?? (await writeSplit(ctx.store, await split.cut()));
      return insert(tx, blobs);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
