import type { PrismaClient } from "@/lib/db";

export type IndexerStatus = {
  checkpoint: number | null;
  head: number | null;
  lag: number | null;
  eventsIndexed: number;
  reorgs: number;
  updatedAt: Date | null;
  /** Seconds since the indexer's last heartbeat, by the database's clock (null: never indexed). */
  silentSeconds: number | null;
};

type Row = { n: string; head: string | null; events: string; reorgs: number; updated_at: Date; silent: number };

/** For /api/health: lag = head − checkpoint, as last written by the indexer. */
export async function getIndexerStatus(prisma: PrismaClient, chainId: number): Promise<IndexerStatus> {
  // The age comes from the database's now(): app servers' clocks need not agree with the indexer's.
  const rows = await prisma.$queryRawUnsafe<Row[]>(
    `SELECT block_number::text AS n, head_number::text AS head, events_indexed::text AS events, reorgs, updated_at,
            EXTRACT(EPOCH FROM now() - COALESCE(heartbeat_at, updated_at))::float8 AS silent
     FROM indexer_checkpoints WHERE chain_id = $1`,
    chainId,
  );
  const row = rows[0];
  if (!row) return { checkpoint: null, head: null, lag: null, eventsIndexed: 0, reorgs: 0, updatedAt: null, silentSeconds: null };
  const checkpoint = Number(row.n);
  const head = row.head === null ? null : Number(row.head);
  return {
    checkpoint,
    head,
    lag: head === null ? null : Math.max(0, head - checkpoint),
    eventsIndexed: Number(row.events),
    reorgs: row.reorgs,
    updatedAt: row.updated_at,
    silentSeconds: Math.max(0, row.silent),
  };
}
