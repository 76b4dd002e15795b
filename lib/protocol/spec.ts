// The job's training spec as stored in `jobs.spec` (lib/jobs createJob writes it, its keccak-256 of
// canonical JSON is the on-chain specHash) and as published in a job's proof. Everyone who reads it —
// the scheduler, the referee, verify-proof, the browser re-verifier — parses it here, once, through
// `specOf`, so no reader trusts a cast. The schema describes; it does not re-validate the creation
// rules (lib/jobs/schemas.ts does that on the way in): a spec written by an older release must still parse.
import { z } from "zod";
import { normalisationKinds } from "@/lib/datasets/client";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().min(0);
const blobRef = z.object({ sha256, rows: count });

/** An MLP classifier: `layers` = [inputs, hidden…, classes]; hidden layers use `activation`, the output is linear + softmax. */
export const mlpModelSchema = z.object({
  kind: z.literal("mlp"),
  layers: z.array(z.number().int().min(1)).min(2),
  activation: z.enum(["relu", "tanh"]),
});

/**
 * A decoder-only transformer language model (lib/compute/gpt): pre-LayerNorm GPT-2 blocks, `context` the
 * longest window, `vocab` the size of the character vocabulary (`dataset.vocabulary`), the LM head tied to
 * the token embedding. Exactly lib/compute's GptSpec, so a worker passes it through unchanged.
 */
export const gptModelSchema = z.object({
  kind: z.literal("gpt"),
  layers: z.number().int().min(1),
  heads: z.number().int().min(1),
  dim: z.number().int().min(1),
  context: z.number().int().min(1),
  vocab: z.number().int().min(2),
  tied: z.literal(true),
});

/**
 * The model part, one member per architecture (`model.kind`). Workers and the referee switch on `kind`;
 * a new architecture is a new member here, next to "mlp" and "gpt".
 */
export const modelSpecSchema = z.discriminatedUnion("kind", [mlpModelSchema, gptModelSchema]);

/**
 * The inner optimizer of GPT fragments, written into the spec so its hash covers it: AdamW with fresh
 * moments per fragment, weight decay on the 2-D matrices only, the gradient clipped to global norm
 * `clipNorm` before each step. The values are the ones lib/compute/kernels/adamw.ts runs; the schema
 * pins them, so a spec claiming other values does not parse rather than train something else.
 */
export const adamwSchema = z.object({
  kind: z.literal("adamw"),
  beta1: z.literal(0.9),
  beta2: z.literal(0.95),
  eps: z.literal(1e-8),
  weightDecay: z.literal(0.1),
  clipNorm: z.literal(1),
});
export const ADAMW = { kind: "adamw", beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, clipNorm: 1 } as const;

/**
 * What an inference job adds to the spec (`kind: "inference"`): the registry model it runs — its id, the
 * sha-256 of its safetensors bytes and its registry config, so the spec hash commits to exactly those
 * weights — and the flat float32 blob of the same weights that workers fetch as W (the training layout).
 * The spec's `shards` are the input rows cut in order, `rowsPerFragment` each (the last may be shorter);
 * `model` is the architecture, `dataset.mean/std` the model's own normalisation. The job has one round
 * and no outer step: `hyper` holds rounds 1, shards S and the seed of the spot-check draw, and `heldOut`
 * is an empty table. docs/concepts/inference.md.
 */
export const inferenceSchema = z.object({
  modelId: z.string(),
  modelSha256: sha256,
  config: z.record(z.string(), z.unknown()),
  weightsSha256: sha256,
  output: z.literal("classes").describe("classifier: per row the predicted class and the class probabilities"),
  rows: count,
  rowsPerFragment: z.number().int().min(1),
  tolerance: z.object({ probability: z.number() }),
});

export const trainingSpecSchema = z.object({
  version: z.number().int(),
  /** absent on training specs (and on every spec written before inference jobs existed) */
  kind: z.enum(["training", "inference"]).optional(),
  inference: inferenceSchema.optional(),
  chainId: z.number().int(),
  dataset: z.object({
    name: z.string(),
    sha256,
    rows: count,
    features: z.number().int().min(1),
    classes: z.number().int().min(1),
    /** the rule that produced mean/std (absent in specs written before it existed) */
    normalisation: z.enum(normalisationKinds).optional(),
    mean: z.array(z.number()),
    std: z.array(z.number()),
    /**
     * Text datasets (GPT jobs): the character vocabulary built from the training split, one entry per
     * token id, entry 0 the boundary "\n" (lib/datasets/text/vocab.ts). features = context + 1 (tokens
     * per window), classes = the vocabulary size, mean and std empty: token ids are not normalised.
     */
    vocabulary: z.array(z.string()).min(2).optional(),
  }),
  shards: z.array(blobRef),
  heldOut: blobRef,
  model: modelSpecSchema,
  hyper: z.object({
    rounds: z.number().int().min(1),
    shards: z.number().int().min(1),
    localSteps: z.number().int().min(1),
    batch: z.number().int().min(1),
    learningRate: z.number(),
    outerLearningRate: z.number(),
    outerMomentum: z.number(),
    seed: z.number().int(),
    /** GPT jobs: the inner optimizer (MLP jobs run plain SGD and have none). */
    innerOptimizer: adamwSchema.optional(),
  }),
  redundancy: z.number().int().min(1),
  spotCheckRate: z.number().min(0).max(1),
  minTier: z.number().int().min(0),
  fee: z.string().regex(/^(0|[1-9][0-9]*)$/, "must be a decimal integer of CXT wei"),
  salt: z.string(),
});

export type TrainingSpec = z.output<typeof trainingSpecSchema>;
export type InferenceSection = z.output<typeof inferenceSchema>;
export type ModelSpec = z.output<typeof modelSpecSchema>;
export type MlpModelSpec = z.output<typeof mlpModelSchema>;
export type GptModelSpec = z.output<typeof gptModelSchema>;

/** A stored (or published) spec that does not match the schema: data corruption or a spec this release cannot read. */
export class MalformedSpecError extends Error {
  readonly code = "malformed_spec";
  constructor(
    readonly jobId: string | null,
    readonly issues: string[],
  ) {
    super(`${jobId ? `job ${jobId}: ` : ""}malformed training spec: ${issues.join("; ")}`);
    this.name = "MalformedSpecError";
  }
}

// A stored spec is immutable and a row's `spec` object is read by several steps of one pass: parse each object once.
const parsed = new WeakMap<object, TrainingSpec>();

/**
 * The training spec of a job row (or of a proof: anything with `spec` and, optionally, its `id`/`jobId`),
 * parsed against `trainingSpecSchema`. Throws MalformedSpecError when it does not match.
 */
export function specOf(job: { spec: unknown; id?: string; jobId?: string }): TrainingSpec {
  // A WeakMap answers undefined for a key that is not an object, and only an object parses, so neither
  // step needs to ask what `raw` is.
  const raw = job.spec as object;
  const hit = parsed.get(raw);
  if (hit) return hit;
  const r = trainingSpecSchema.safeParse(raw);
  if (!r.success) throw new MalformedSpecError(job.id ?? job.jobId ?? null, r.error.issues.map((i) => `${i.path.join(".") || "(spec)"}: ${i.message}`));
  parsed.set(raw, r.data);
  return r.data;
}
