import "server-only";
import { serverEnv } from "@/lib/env";
import { loadDeployment } from "@/lib/chain";
import { serverPublicClient } from "@/lib/chain";
import { pingDatabase, prisma } from "@/lib/db";
import { getIndexerStatus } from "@/lib/indexer";
import { checkChain, type ChainHealth } from "./check-chain";

export type Health = {
  status: "ok" | "down";
  checkedAt: string;
  database: { ok: boolean; latencyMs: number | null; error?: string };
  chain: ChainHealth;
  indexer: {
    ok: boolean;
    checkpoint: number | null;
    head: number | null;
    lag: number | null;
    maxLag: number;
    /** Seconds since the indexer's last heartbeat. */
    silentSeconds?: number | null;
    error?: string;
  };
};

/** Every part is checked concurrently and independently: one part being down never hides another's state. */
export async function getHealth(): Promise<Health> {
  const env = serverEnv();
  const [database, chain] = await Promise.all([
    pingDatabase().catch((err: Error) => ({ ok: false, latencyMs: null, error: err.message })),
    loadDeployment(env.CHAIN_ID).then(
      (d) => checkChain(serverPublicClient(), env.CHAIN_ID, d),
      (err: Error) => checkChain(serverPublicClient(), env.CHAIN_ID, undefined).then((c) => ({ ...c, ok: false, error: err.message })),
    ),
  ]);
  let indexer: Health["indexer"];
  if (!database.ok) {
    indexer = { ok: false, checkpoint: null, head: chain.blockNumber, lag: null, maxLag: env.INDEXER_MAX_LAG, error: "database down" };
  } else {
    try {
      const s = await getIndexerStatus(prisma, env.CHAIN_ID);
      const head = chain.blockNumber ?? s.head;
      const lag = head !== null && s.checkpoint !== null ? Math.max(0, head - s.checkpoint) : s.lag;
      // On an idle chain the lag stays 0 after the indexer dies: only its heartbeat tells.
      const silent = s.silentSeconds !== null && s.silentSeconds > env.INDEXER_HEARTBEAT_TIMEOUT;
      const ok = lag !== null && lag <= env.INDEXER_MAX_LAG && !silent;
      const error =
        s.checkpoint === null
          ? "indexer has not indexed this chain yet"
          : lag !== null && lag > env.INDEXER_MAX_LAG
            ? `lag ${lag} blocks exceeds ${env.INDEXER_MAX_LAG}`
            : `no indexer heartbeat for ${Math.round(s.silentSeconds ?? 0)} s (limit ${env.INDEXER_HEARTBEAT_TIMEOUT} s): is the indexer running?`;
      indexer = {
        ok,
        checkpoint: s.checkpoint,
        head,
        lag,
        maxLag: env.INDEXER_MAX_LAG,
        silentSeconds: s.silentSeconds === null ? null : Math.round(s.silentSeconds),
        ...(ok ? {} : { error }),
      };
    } catch (err) {
      indexer = { ok: false, checkpoint: null, head: chain.blockNumber, lag: null, maxLag: env.INDEXER_MAX_LAG, error: (err as Error).message };
    }
  }
  const status = database.ok && chain.ok && indexer.ok ? "ok" : "down";
  return { status, checkedAt: new Date().toISOString(), database, chain, indexer };
}
