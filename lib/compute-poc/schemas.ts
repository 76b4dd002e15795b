import { z } from "zod";
import { nodeIdSchema as nodeId } from "@/lib/protocol";

/** Sizes a challenge may ask for: big enough to measure, small enough to upload (1024² u32 = 4 MiB). */
export const POC_MIN_N = 16;
export const POC_API_MAX_N = 1024;
export const POC_DEFAULT_N = 256;
/** A challenge must be answered within this long of being issued. */
export const POC_TTL_MS = 120_000;


export const pocChallengeRequestSchema = z
  .object({
    nodeId: nodeId.describe("the node that proves its capacity; the caller must own it or hold its session key"),
    n: z.number().int().min(POC_MIN_N).max(POC_API_MAX_N).default(POC_DEFAULT_N).describe("matrix size (n×n)"),
  })
  .strict()
  .meta({ id: "PocChallengeRequest" });

export const pocChallengeSchema = z
  .object({
    id: z.uuid(),
    nodeId,
    n: z.number().int(),
    seed: z.number().int().describe("u32 seed: A[i][j] = hash32(seed, 0, i·n+j), B[i][j] = hash32(seed, 1, i·n+j) (lib/compute/prng.ts)"),
    ops: z.number().int().describe("2n³ integer operations"),
    issuedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    answer: z.string().describe("where to POST C: n² u32 little-endian, Content-Type application/octet-stream, ?elapsedMs=<compute time>"),
  })
  .meta({ id: "PocChallenge" });

export const pocParamsSchema = z.object({ id: z.uuid("must be a challenge id (UUID)") }).strict();

export const pocAnswerQuerySchema = z
  .object({ elapsedMs: z.coerce.number().int().min(1).max(POC_TTL_MS).describe("the node's compute time for C in milliseconds") })
  .strict();

export const pocOutcomes = ["passed", "wrong_product", "replayed_answer", "already_answered", "expired"] as const;
export type PocOutcome = (typeof pocOutcomes)[number];

export const pocResultSchema = z
  .object({
    challengeId: z.uuid(),
    nodeId,
    outcome: z.literal("passed"),
    n: z.number().int(),
    rounds: z.number().int().describe("Freivalds rounds checked (false accept < 2^-rounds)"),
    elapsedMs: z.number().int(),
    wallMs: z.number().int(),
    opsPerSecond: z.number().describe("2n³ / reported compute time"),
    wallOpsPerSecond: z.number().describe("2n³ / coordinator wall time from issue to answer (a lower bound)"),
    credited: z
      .boolean()
      .describe("whether this pass earned the node's one compute-proof credential of the epoch (a fixed weight: EPOCH_RULES.computeProof in lib/epochs/rules.ts); later passes in the epoch only update the proven throughput"),
  })
  .meta({ id: "PocResult" });

export type PocChallengeRequest = z.infer<typeof pocChallengeRequestSchema>;
export type PocChallengeView = z.infer<typeof pocChallengeSchema>;
export type PocResult = z.infer<typeof pocResultSchema>;
