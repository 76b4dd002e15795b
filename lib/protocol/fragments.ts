// The worker protocol of /api/fragments: request/response shapes, the EIP-712 result signature and
// the binary delta layout. Shared by the server, the browser worker and the CLI worker (no
// server-only imports here). Keep it stable: workers are built against it.
import { z } from "zod";
import { modelSpecSchema } from "./spec";

/** EIP-712 domain of result signatures (the same as the session-key delegation's). */
export const resultDomain = (chainId: number) => ({ name: "Corex Network", version: "1", chainId }) as const;

/**
 * What a node owner (or its delegated session key) signs for a result. `lossBits` is the IEEE-754
 * float32 bit pattern of the mean loss (`lossBits(loss)`), so signer and server hash the same value;
 * `deltaSha256` is the sha-256 of the request body (the delta bytes).
 */
export const resultTypes = {
  FragmentResult: [
    { name: "fragmentId", type: "string" },
    { name: "replica", type: "uint32" },
    { name: "nodeId", type: "uint256" },
    { name: "specHash", type: "bytes32" },
    { name: "round", type: "uint32" },
    { name: "deltaSha256", type: "bytes32" },
    { name: "lossBits", type: "uint32" },
  ],
} as const;

/**
 * Authorisation of claim and heartbeat calls by a worker's session key (or the owner's wallet) when
 * there is no session cookie: header `x-corex-worker: <expiresAt>.<signature>` over this message;
 * `expiresAt` (unix seconds) at most WORKER_AUTH_MAX_SECONDS ahead.
 */
export const workerAuthTypes = {
  WorkerAuth: [
    { name: "nodeId", type: "uint256" },
    { name: "expiresAt", type: "uint64" },
  ],
} as const;
export const WORKER_AUTH_HEADER = "x-corex-worker";
export const WORKER_AUTH_MAX_SECONDS = 600;

/** `<expiresAt>.<signature>`, the value of WORKER_AUTH_HEADER. */
export const workerAuthHeader = (expiresAt: number, signature: `0x${string}`): string => `${expiresAt}.${signature}`;

/** The parts of a WORKER_AUTH_HEADER value (signature lower-cased), or null when it is not `<expiresAt>.<65-byte 0x signature>`. */
export function parseWorkerAuthHeader(value: string): { expiresAt: number; signature: `0x${string}` } | null {
  const m = /^([0-9]{1,12})\.(0x[0-9a-fA-F]{130})$/.exec(value);
  return m ? { expiresAt: Number(m[1]), signature: m[2]!.toLowerCase() as `0x${string}` } : null;
}

/** Headers of POST /api/fragments/{slotId}/result (the body is the delta). */
export const RESULT_LOSS_HEADER = "x-corex-loss";
export const RESULT_SIGNATURE_HEADER = "x-corex-signature";

export function lossBits(loss: number): number {
  return new Uint32Array(new Float32Array([loss]).buffer)[0]!;
}

/**
 * Delta layout: the fragment's weight delta W_after − W_before as little-endian IEEE-754 float32,
 * parameterCount(model) values in lib/compute's flat weight layout (layer after layer; per layer the
 * (n_in + 1) × n_out matrix row-major, bias as its last row), nothing else. Weights blobs (W_r) use
 * the same layout.
 */
export function encodeFloat32(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

export function decodeFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new RangeError(`${bytes.byteLength} bytes is not a whole number of float32 values`);
  // On a little-endian host the words already are the values: one copy instead of a read per value
  // (W is 400 KB for the demo MLP, tens of MB for a GPT). Either way the result owns its memory.
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The largest Postgres bigint: node ids (uint256 on chain, numbered from 1) and epochs are int8 in the mirror. */
export const MAX_INT8 = 2n ** 63n - 1n;

/**
 * A decimal integer (`min` 0 or 1) that fits a Postgres bigint. The range is checked here, so no query
 * ever sees a value Postgres would refuse (it answered 500 for ids ≥ 2^63); the format check aborts
 * before the range check, which would throw on anything but digits.
 */
export const int8DecimalSchema = (what: string, min: 0 | 1 = 1) =>
  z
    .string()
    .regex(min === 1 ? /^[1-9][0-9]{0,18}$/ : /^(0|[1-9][0-9]{0,18})$/, { message: `must be a ${min === 1 ? "positive" : "non-negative"} decimal ${what}`, abort: true })
    .refine((v) => BigInt(v) <= MAX_INT8, `must be at most 2^63 − 1 (${MAX_INT8})`);

export const nodeIdSchema = int8DecimalSchema("node id");

export const claimRequestSchema = z
  .object({
    nodeId: nodeIdSchema,
    max: z.number().int().min(1).max(32).default(1).describe("at most this many replica slots"),
  })
  .strict()
  .meta({ id: "ClaimRequest" });

export const slotParamsSchema = z.object({ id: z.uuid("must be a slot id (uuid)") }).strict();

export const heartbeatRequestSchema = z.object({ nodeId: nodeIdSchema }).strict().meta({ id: "HeartbeatRequest" });

// Stryker disable all: the response shapes below only document /api/openapi.json (lib/openapi);
// no request is parsed with them, so a mutant in them changes no behaviour (docs/development/tests.md → Mutation testing).
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const claimedSlotSchema = z
  .object({
    slotId: z.uuid().describe("the replica slot: heartbeat and result go to /api/fragments/{slotId}/…"),
    fragmentId: z.uuid(),
    replica: z.number().int(),
    kind: z.enum(["compute", "verify"]),
    jobId: z.uuid(),
    specHash: z.string().regex(/^0x[0-9a-f]{64}$/),
    round: z.number().int(),
    shard: z.number().int(),
    leaseDeadline: z.iso.datetime(),
    leaseSeconds: z.number(),
    workUnits: z.string().describe("FLOPs of the fragment (lib/compute fragmentFlops)"),
    inputs: z.object({
      model: modelSpecSchema.describe("the job spec's model (switch on kind)"),
      weightsSha256: sha256.describe("W_r, float32 LE in the delta layout: GET /api/blobs/{sha256}"),
      shardSha256: sha256.describe("CXDS shard (MLP), CXTK token windows (GPT training) or CXPR prompts (GPT inference): GET /api/blobs/{sha256}"),
      normalisation: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }).describe("x' = (x − mean) / (std || 1); empty for GPT jobs (token ids are not normalised)"),
      steps: z.number().int(),
      batch: z.number().int(),
      lr: z.number(),
      seed: z.number().int().describe("batch-order seed = fragmentSeed(job seed, r, s)"),
      inference: z
        .object({ output: z.enum(["classes", "tokens"]), rows: z.number().int(), maxTokens: z.number().int().optional().describe('"tokens" only: the longest continuation') })
        .optional()
        .describe('inference fragments only: no training — "classes": classify the shard\'s rows with W, the result body rows × (1 + classes) float32; "tokens": continue each prompt of the CXPR shard greedily, the result body prompts × (1 + maxTokens) float32 (docs/concepts/inference.md); the loss 0'),
    }),
    sign: z.object({ chainId: z.number().int(), primaryType: z.literal("FragmentResult") }).describe("EIP-712 domain chain and type of the result signature"),
  })
  .meta({ id: "ClaimedSlot" });

export const claimResponseSchema = z.object({ slots: z.array(claimedSlotSchema) }).meta({ id: "ClaimResponse" });
export const heartbeatResponseSchema = z.object({ slotId: z.uuid(), leaseDeadline: z.iso.datetime() }).meta({ id: "Heartbeat" });
export const resultResponseSchema = z
  .object({ resultId: z.uuid(), slotId: z.uuid(), deltaSha256: sha256, status: z.enum(["pending", "accepted", "rejected"]), duplicate: z.boolean() })
  .meta({ id: "ResultReceipt" });

/** GET /api/fragments/results?ids=…: where submitted results stand now (verification runs after the receipt). */
export const resultStatusQuerySchema = z
  .object({ ids: z.string().regex(/^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){0,199}$/, "must be 1 to 200 comma-separated result ids").describe("result ids (from the submit receipts), comma-separated") })
  .strict();
export const resultStatusListSchema = z
  .object({ results: z.array(z.object({ resultId: z.uuid(), status: z.enum(["pending", "accepted", "rejected"]) })) })
  .meta({ id: "ResultStatuses" });
export type ResultStatusList = z.infer<typeof resultStatusListSchema>;

export type ClaimRequest = z.infer<typeof claimRequestSchema>;
export type ClaimedSlot = z.infer<typeof claimedSlotSchema>;
export type ClaimResponse = z.infer<typeof claimResponseSchema>;
export type ResultResponse = z.infer<typeof resultResponseSchema>;

export const roundsResponseSchema = z
  .object({
    rounds: z.array(z.object({
      round: z.number().int(), status: z.enum(["open", "aggregated"]), trainLoss: z.number().nullable(), heldOutLoss: z.number().nullable(),
      heldOutAccuracy: z.number().nullable(), aggregatedAt: z.iso.datetime().nullable(),
      samples: z.array(z.string()).nullable().describe("GPT jobs: texts sampled from W_{r+1} (seeded; null for MLP jobs and open rounds)"),
    })),
  })
  .meta({ id: "JobRounds" });
export const proofSchema = z
  .object({ jobId: z.uuid(), specHash: z.string(), status: z.string(), tolerance: z.object({ relativeL2: z.number() }), rounds: z.array(z.record(z.string(), z.unknown())) })
  .catchall(z.unknown())
  .describe("round records (hash W_r, optimizer state, accepted result hashes, hash W_{r+1}, metrics) and every fragment's inputs and signed results")
  .meta({ id: "JobProof" });
export const modelCardSchema = z.object({ jobId: z.uuid(), specHash: z.string(), weightsSha256: z.string() }).catchall(z.unknown()).meta({ id: "ModelCard" });
// Stryker restore all
