// `npm run indexer [-- --rebuild] [--once] [--rebuild-on-chain-reset]`: mirrors the chain into
// Postgres, following the head until SIGINT/SIGTERM. Env: DATABASE_URL, RPC_URL, CHAIN_ID,
// INDEXER_FINALITY_DEPTH, INDEXER_MAX_BLOCK_RANGE, INDEXER_CONCURRENCY, INDEXER_POLL_MS,
// INDEXER_BATCH_EVENTS, INDEXER_CONTRACTS (validated below, once).
import path from "node:path";
import { z } from "zod";
import { fileURLToPath } from "node:url";
import { createPrismaClient } from "@/lib/db";
import { acquireIndexerLock, runIndexer, type IndexerOptions } from "@/lib/indexer";
import type { ContractName } from "@/lib/indexer/handlers";

const optionalInt = (min: number) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(min).optional());

const indexerEnvSchema = z.object({
  DATABASE_URL: z.string().min(1).default("postgres://postgres@127.0.0.1:5432/postgres"),
  RPC_URL: z.url().default("http://127.0.0.1:8545"),
  CHAIN_ID: z.coerce.number().int().positive().default(31337),
  INDEXER_FINALITY_DEPTH: optionalInt(1),
  INDEXER_MAX_BLOCK_RANGE: optionalInt(1),
  INDEXER_CONCURRENCY: optionalInt(1),
  INDEXER_POLL_MS: optionalInt(10),
  INDEXER_BATCH_EVENTS: optionalInt(1),
  DEPLOYMENTS_DIR: z.string().min(1).optional(),
  // Tests and benchmarks: which contracts to follow instead of the deployment file.
  INDEXER_CONTRACTS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(z.array(z.object({ name: z.string(), address: z.string().regex(/^0x[0-9a-fA-F]{40}$/), startBlock: z.number().int().nonnegative() })).optional()),
});

export async function main(argv = process.argv.slice(2), rawEnv = process.env): Promise<void> {
  const parsed = indexerEnvSchema.safeParse(rawEnv);
  if (!parsed.success) {
    throw new Error(`Invalid indexer environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  const env = parsed.data;
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
