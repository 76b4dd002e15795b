// `npm run indexer [-- --rebuild] [--once] [--rebuild-on-chain-reset]`: mirrors the chain into
// Postgres, following the head until SIGINT/SIGTERM. Env: DATABASE_URL, RPC_URL, CHAIN_ID,
// INDEXER_FINALITY_DEPTH, INDEXER_MAX_BLOCK_RANGE, INDEXER_CONCURRENCY, INDEXER_POLL_MS,
// INDEXER_BATCH_EVENTS, INDEXER_CONTRACTS (lib/config/indexer.ts, validated once at start-up).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "@/lib/config";
import { indexerEnvSchema } from "@/lib/config";
import { createPrismaClient } from "@/lib/db";
import { acquireIndexerLock, runIndexer, type IndexerOptions } from "@/lib/indexer";
import type { ContractName } from "@/lib/indexer";

export async function main(argv = process.argv.slice(2), rawEnv = process.env): Promise<void> {
  const env = parseEnv("indexer", indexerEnvSchema, rawEnv);
  const databaseUrl = env.DATABASE_URL;
  const rpcUrl = env.RPC_URL;
  const chainId = env.CHAIN_ID;
  const ac = new AbortController();
  let lockLost: Error | undefined;
  const lock = await acquireIndexerLock(databaseUrl, chainId, {
    onLost: (e) => {
      lockLost = e;
      ac.abort();
    },
  });
  const prisma = createPrismaClient(databaseUrl);
  const stop = (sig: string) => {
    console.log(`[indexer] ${sig}: stopping after the current batch`);
    ac.abort();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  const contracts = env.INDEXER_CONTRACTS as { name: ContractName; address: string; startBlock: number }[] | undefined;
  const opts: IndexerOptions = {
    prisma,
    rpcUrl,
    chainId,
    signal: ac.signal,
    contracts,
    rebuild: argv.includes("--rebuild"),
    stopAtHead: argv.includes("--once"),
    // The dev chain can be wiped while the database keeps its mirror: re-index instead of stopping.
    rebuildOnChainReset: argv.includes("--rebuild-on-chain-reset"),
    finalityDepth: env.INDEXER_FINALITY_DEPTH,
    maxBlockRange: env.INDEXER_MAX_BLOCK_RANGE,
    concurrency: env.INDEXER_CONCURRENCY,
    pollIntervalMs: env.INDEXER_POLL_MS,
    targetBatchEvents: env.INDEXER_BATCH_EVENTS,
  };
  console.log(`[indexer] chain ${chainId} via ${rpcUrl}${opts.rebuild ? " (rebuild)" : ""}`);
  try {
    await runIndexer(opts);
    if (lockLost) throw lockLost;
  } finally {
    await lock.release();
    await prisma.$disconnect();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (e: Error) => {
      console.error(`[indexer] stopped: ${e.message}`);
      process.exit(1);
    },
  );
}
