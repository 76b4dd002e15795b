import "server-only";
import { blobStore } from "@/lib/blobs";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import type { SchedulerCtx } from "./context";

export { claim, heartbeat, claimSlots } from "./claim";
export { submitResult, type ResultReceipt } from "./result";
export { startActiveJobs } from "./rounds";
export { TOLERANCE, leaseMsFor, type SchedulerCtx } from "./context";

/** The app's scheduler context (shared Prisma client, configured blob store, CHAIN_ID). */
export function schedulerCtx(): SchedulerCtx {
  return { db: prisma, store: blobStore(), chainId: serverEnv().CHAIN_ID };
}
export { ADAPTIVE_MIN_VALID, runVerification, agree, spotChecked, type VerificationOptions, type VerificationReport } from "./verify";
export { runAggregation, completeOnChain } from "./aggregate";
export { coordinatorTick, type TickReport } from "./coordinator";
export { listContributions, listFaults, redundancyOverhead, type Contribution } from "./contributions";
export { jobProof, jobProofRoot, jobRounds, jobModel, jobModelCard } from "./proof";
export { abandonLease } from "./abandon";
export { fragmentStates, fragmentsPerMinute, jobProgress } from "./job-progress";
export type { JobProgress, RoundProgress } from "./job-progress";
export { recordResults } from "./result";
export { jobOutputs, outputsHeader, outputLines, outputsPreview } from "./outputs";
export { safetensors as mlpSafetensors } from "./safetensors";
export { resultStatuses } from "./result-status";
