import { z } from "zod";
import { appShape } from "./app";
import { requireBucket } from "./shared";

/** `npm run coordinator` (scripts/coordinator.ts): the app's server variables plus the loop's own. */
export const coordinatorShape = {
  ...appShape,
  COORDINATOR_INTERVAL_MS: z.coerce.number().int().min(50).default(1000).describe("Period of the coordinator loop (round start, verification, aggregation, on-chain completion) in milliseconds."),
  SPOT_CHECK_WAIT_S: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(300)
    .describe("Seconds a spot check may wait for a node of another owner before the coordinator runs it with the CPU reference (at once when no such node exists).")
    .meta({ docDefault: "300 (`npm run dev` on its own anvil: 20)" }),
  JOB_AWAITING_CHAIN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(86_400)
    .describe("Seconds a job may wait for its on-chain task (createTask) after creation; then it expires and its shard blobs no other job or dataset names are deleted."),
};

export const coordinatorEnvSchema = z.object(coordinatorShape).superRefine(requireBucket);

export type CoordinatorEnv = z.infer<typeof coordinatorEnvSchema>;
