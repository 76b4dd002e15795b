// `npm run coordinator [-- --once]`: the scheduler's coordinator loop (lib/scheduler coordinatorTick):
// round start, verification, aggregation, on-chain completion, lease housekeeping — every
// COORDINATOR_INTERVAL_MS. Any number may run against one database (row locks with SKIP LOCKED).
// Env (validated once): DATABASE_URL, RPC_URL, CHAIN_ID, BLOB_STORE/BLOB_DIR/S3_*, COORDINATOR_PRIVATE_KEY, DEPLOYMENTS_DIR,
// COORDINATOR_INTERVAL_MS, SPOT_CHECK_WAIT_S.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serverEnv } from "@/lib/env";
import { blobStore } from "@/lib/blobs";
import { createPrismaClient } from "@/lib/db";
import { coordinatorTick } from "@/lib/scheduler";

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const env = serverEnv();
  const prisma = createPrismaClient(env.DATABASE_URL);
  const ctx = { db: prisma, store: blobStore(), chainId: env.CHAIN_ID };
  let stopping = false;
  const stop = (sig: string) => {
    console.log(`[coordinator] ${sig}: stopping after the current pass`);
    stopping = true;
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  console.log(`[coordinator] chain ${env.CHAIN_ID}, every ${env.COORDINATOR_INTERVAL_MS} ms`);
  while (!stopping) {
    try {
      const r = await coordinatorTick(ctx, { rpcUrl: env.RPC_URL, privateKey: env.COORDINATOR_PRIVATE_KEY as `0x${string}` | undefined }, { spotCheckWaitMs: env.SPOT_CHECK_WAIT_S * 1000 });
      const v = r.verification;
      if (r.started || r.aggregated || r.completed.length || v.resultsAccepted || v.resultsRejected || v.spotChecksRefereed || r.cancelledSlots) {
        console.log(`[coordinator] started ${r.started} runs, accepted ${v.fragmentsAccepted} fragments (${v.resultsAccepted} results), rejected ${v.resultsRejected} (${v.faults} faults, ${v.referenceRuns} reference runs), ${v.spotChecksRefereed} unclaimed spot checks run by the reference, aggregated ${r.aggregated} rounds, completed ${r.completed.length} on chain`);
      }
    } catch (e) {
      console.error(`[coordinator] pass failed: ${(e as Error).message}`);
    }
    if (argv.includes("--once")) break;
    await new Promise((res) => setTimeout(res, env.COORDINATOR_INTERVAL_MS));
  }
  await prisma.$disconnect();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(() => process.exit(0), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
