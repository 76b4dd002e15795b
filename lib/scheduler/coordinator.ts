import "server-only";
import type { Hex } from "viem";
import { collectInferenceWeights, syncJobsWithChain } from "@/lib/jobs";
import { completeOnChain, runAggregation } from "./aggregate";
import type { SchedulerCtx } from "./context";
import { startActiveJobs } from "./rounds";
import { runVerification, type VerificationOptions, type VerificationReport } from "./verify";

export type TickReport = { started: number; verification: VerificationReport; aggregated: number; completed: string[]; cancelledSlots: number; collectedWeights: string[] };

/**
 * One pass of the coordinator (`npm run coordinator` loops it): jobs follow the chain mirror, newly
 * active jobs start round 0, pending results are verified, finished rounds aggregated, finished runs
 * completed on chain, slots of jobs that are no longer active closed, and the weights blobs of ended
 * inference jobs that nothing else names deleted. Every step is idempotent
 * and row-locked, so any number of coordinators may run against one database.
 */
export async function coordinatorTick(ctx: SchedulerCtx, chain: { rpcUrl: string; privateKey?: Hex; taskManager?: `0x${string}` }, opts: VerificationOptions = {}): Promise<TickReport> {
  await syncJobsWithChain(ctx.db);
  const rounds = { lazyReplicas: opts.lazyReplicas };
  const started = await startActiveJobs(ctx, rounds);
  const verification = await runVerification(ctx, opts);
  const aggregated = await runAggregation(ctx, rounds);
  const completed = await completeOnChain(ctx, chain);
  const cancelledSlots = await ctx.db.$executeRaw`
    UPDATE replica_slots s SET state = 'cancelled' FROM jobs j
    WHERE s.job_id = j.id AND s.state IN ('open', 'leased') AND j.status IN ('cancelled', 'failed')`;
  const collectedWeights = await collectInferenceWeights(ctx);
  return { started, verification, aggregated, completed, cancelledSlots, collectedWeights };
}
