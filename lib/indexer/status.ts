import type { PrismaClient } from "@/lib/db/client";

export type IndexerStatus = {
  checkpoint: number | null;
  head: number | null;
  lag: number | null;
  eventsIndexed: number;
  reorgs: number;
  updatedAt: Date | null;
};

/** For /api/health: lag = head − checkpoint, as last written by the indexer. */
export async function getIndexerStatus(prisma: PrismaClient, chainId: number): Promise<IndexerStatus> {
  const row = await prisma.indexerCheckpoint.findUnique({ where: { chainId } });
  if (!row) return { checkpoint: null, head: null, lag: null, eventsIndexed: 0, reorgs: 0, updatedAt: null };
  const checkpoint = Number(row.blockNumber);
  const head = row.headNumber === null ? null : Number(row.headNumber);
  return {
    checkpoint,
    head,
    lag: head === null ? null : Math.max(0, head - checkpoint),
    eventsIndexed: Number(row.eventsIndexed),
    reorgs: row.reorgs,
    updatedAt: row.updatedAt,
  };
}
