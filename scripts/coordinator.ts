// `npm run coordinator [-- --once]`: the scheduler's coordinator loop (lib/scheduler coordinatorTick):
// round start, verification, aggregation, on-chain completion, lease housekeeping, and expiry of jobs
// with no on-chain task after JOB_AWAITING_CHAIN_TTL_SECONDS (lib/jobs expireStaleJobs) — every
// COORDINATOR_INTERVAL_MS. Any number may run against one database (row locks with SKIP LOCKED).
// Env: lib/config/coordinator.ts (the app's server variables plus COORDINATOR_INTERVAL_MS,
// SPOT_CHECK_WAIT_S and JOB_AWAITING_CHAIN_TTL_SECONDS), validated once at start-up.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { coordinatorEnvSchema } from "@/lib/config";
import { ConfigError, parseEnv } from "@/lib/config";
import { blobStore } from "@/lib/blobs";
import { createPrismaClient } from "@/lib/db";
import { expireStaleJobs } from "@/lib/jobs";
import { coordinatorTick } from "@/lib/scheduler";
import { runLoop } from "./lib/loop";

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const env = parseEnv("coordinator", coordinatorEnvSchema);
  const prisma = createPrismaClient(env.DATABASE_URL);
  const ctx = { db: prisma, store: blobStore(), chainId: env.CHAIN_ID };
  console.log(`[coordinator] chain ${env.CHAIN_ID}, every ${env.COORDINATOR_INTERVAL_MS} ms`);
  await runLoop(
    async () => {
      const r = await coordinatorTick(ctx, { rpcUrl: env.RPC_URL, privateKey: env.COORDINATOR_PRIVATE_KEY as `0x${string}` | undefined }, { spotCheckWaitMs: env.SPOT_CHECK_WAIT_S * 1000 });
      const v = r.verification;
      if (r.started || r.aggregated || r.completed.length || v.resultsAccepted || v.resultsRejected || v.spotChecksRefereed || r.cancelledSlots) {
        console.log(`[coordinator] started ${r.started} runs, accepted ${v.fragmentsAccepted} fragments (${v.resultsAccepted} results), rejected ${v.resultsRejected} (${v.faults} faults, ${v.referenceRuns} reference runs), ${v.spotChecksRefereed} unclaimed spot checks run by the reference, aggregated ${r.aggregated} rounds, completed ${r.completed.length} on chain`);
      }
      const x = await expireStaleJobs(ctx, { ttlMs: env.JOB_AWAITING_CHAIN_TTL_SECONDS * 1000 });
      if (x.expired.length) console.log(`[coordinator] expired ${x.expired.length} jobs with no on-chain task after ${env.JOB_AWAITING_CHAIN_TTL_SECONDS} s, deleted ${x.deletedBlobs.length} blobs no other job or dataset names`);
    },
    {
      intervalMs: env.COORDINATOR_INTERVAL_MS,
      once: argv.includes("--once"),
      onStop: (sig) => console.log(`[coordinator] ${sig}: stopping after the current pass`),
      onError: (e) => console.error(`[coordinator] pass failed: ${e.message}`),
    },
  );
  await prisma.$disconnect();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(() => process.exit(0), (e: unknown) => {
    console.error(e instanceof ConfigError ? `[coordinator] ${e.message}` : e);
    process.exit(1);
  });
}
