import { createDedicatedConnection } from "@/lib/db";
import { FatalIndexerError } from "./errors";

/** First half of the advisory lock key ("CXIX"); the chain id is the second half. */
const LOCK_CLASS = 0x43584958;

export type IndexerLock = { release(): Promise<void> };

/**
 * One indexer per chain and database: a session advisory lock held on a dedicated connection for the
 * indexer's whole life. Postgres drops it when that connection ends, so a `kill -9`ed indexer never
 * blocks its successor; a lost connection means the lock may already be someone else's, so `onLost`
 * must stop this indexer. (PGlite serves every connection from one backend: there the lock cannot
 * exclude anything, which is fine for the single-machine dev setup it is used for.)
 */
export async function acquireIndexerLock(
  databaseUrl: string,
  chainId: number,
  opts: { waitMs?: number; onLost?: (err: Error) => void } = {},
): Promise<IndexerLock> {
  const client = createDedicatedConnection(databaseUrl, `corex-indexer-lock-${chainId}`);
  await client.connect();
  // A killed predecessor's backend may take a moment to notice its socket closed.
  const deadline = Date.now() + (opts.waitMs ?? 3_000);
  try {
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1::int, $2::int) AS ok`, [LOCK_CLASS, chainId]);
      if (rows[0].ok) break;
      if (Date.now() >= deadline) {
        const holder = await client.query<{ pid: number; since: Date | null }>(
          `SELECT l.pid, a.backend_start AS since FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND l.classid = $1::int::oid AND l.objid = $2::int::oid AND l.granted LIMIT 1`,
          [LOCK_CLASS, chainId],
        );
        const who = holder.rows[0] ? ` (database backend pid ${holder.rows[0].pid}, connected since ${holder.rows[0].since?.toISOString()})` : "";
        throw new FatalIndexerError(`another indexer is already running for chain ${chainId} on this database${who}: refusing to start a second one`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (e) {
    await client.end().catch(() => {});
    throw e;
  }
  let released = false;
  const lost = (err: Error) => {
    if (released) return;
    released = true;
    opts.onLost?.(new FatalIndexerError(`lost the indexer lock's database connection (${err.message}): stopping, another indexer may take over`));
  };
  client.on("error", lost);
  client.on("end", () => lost(new Error("connection ended")));
  return {
    async release() {
      if (released) return;
      released = true;
      await client.end().catch(() => {});
    },
  };
}
