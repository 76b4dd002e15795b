// `npm run indexer [-- --rebuild] [--once]`: mirrors the chain into Postgres, following the head
// until SIGINT/SIGTERM. Env: DATABASE_URL, RPC_URL, CHAIN_ID, INDEXER_FINALITY_DEPTH,
// INDEXER_MAX_BLOCK_RANGE, INDEXER_CONCURRENCY, INDEXER_POLL_MS, INDEXER_BATCH_EVENTS.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPrismaClient } from "@/lib/db/client";
import { runIndexer, type IndexerOptions } from "@/lib/indexer";
import type { ContractName } from "@/lib/indexer/handlers";

const int = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number.parseInt(v, 10));

export async function main(argv = process.argv.slice(2), env = process.env): Promise<void> {
  const databaseUrl = env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const rpcUrl = env.RPC_URL ?? "http://127.0.0.1:8545";
  const chainId = int(env.CHAIN_ID) ?? 31337;
  const prisma = createPrismaClient(databaseUrl);
  const ac = new AbortController();
  const stop = (sig: string) => {
    console.log(`[indexer] ${sig}: stopping after the current batch`);
    ac.abort();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  // INDEXER_CONTRACTS (tests, benchmarks): JSON [{ name, address, startBlock }] instead of the deployment file.
  const contracts = env.INDEXER_CONTRACTS ? (JSON.parse(env.INDEXER_CONTRACTS) as { name: ContractName; address: string; startBlock: number }[]) : undefined;
  const opts: IndexerOptions = {
    prisma,
    rpcUrl,
    chainId,
    signal: ac.signal,
    contracts,
    rebuild: argv.includes("--rebuild"),
    stopAtHead: argv.includes("--once"),
    finalityDepth: int(env.INDEXER_FINALITY_DEPTH),
    maxBlockRange: int(env.INDEXER_MAX_BLOCK_RANGE),
    concurrency: int(env.INDEXER_CONCURRENCY),
    pollIntervalMs: int(env.INDEXER_POLL_MS),
    targetBatchEvents: int(env.INDEXER_BATCH_EVENTS),
  };
  console.log(`[indexer] chain ${chainId} via ${rpcUrl}${opts.rebuild ? " (rebuild)" : ""}`);
  try {
    await runIndexer(opts);
  } finally {
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
