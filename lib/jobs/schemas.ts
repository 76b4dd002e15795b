// Input and output shapes of /api/jobs: the routes parse with these and /api/openapi.json is
// generated from them. Shared with the browser (New job form), so no server-only imports.
import { z } from "zod";
import { GPT_LIMITS } from "@/lib/compute";
import { normalisationKinds } from "@/lib/datasets";

export const MAX_FRAGMENTS = 100_000;

export const mlpModelInputSchema = z
  .object({
    kind: z.literal("mlp").default("mlp").describe("MLP classifier; input and output sizes come from the data"),
    hidden: z.array(z.number().int().min(1).max(1024)).max(4).default([64]).describe("hidden layer sizes"),
    activation: z.enum(["relu", "tanh"]).default("relu"),
  })
  .strict();

const gptInt = (k: "layers" | "heads" | "dim" | "context", d: number, what: string) =>
  z.number().int().min(GPT_LIMITS[k].min).max(GPT_LIMITS[k].max).default(d).describe(what);

/**
 * A language model (decoder-only transformer, lib/compute/gpt) on a text dataset: the vocabulary comes
 * from the dataset's training split. The parameter limit (GPT_LIMITS.parameters) depends on the
 * vocabulary, so job creation checks it once the dataset is known (400 naming `model`).
 */
export const gptModelInputSchema = z
  .object({
    kind: z.literal("gpt").describe("Language model: pre-LayerNorm GPT-2 blocks, LM head tied to the token embedding"),
    layers: gptInt("layers", 2, "transformer blocks"),
    heads: gptInt("heads", 4, "attention heads; must divide dim"),
    dim: gptInt("dim", 64, "embedding width"),
    context: gptInt("context", 16, "tokens (characters) a window holds"),
    tied: z.literal(true).default(true).describe("the LM head is the token embedding (the only option)"),
  })
  .strict()
  .refine((m) => m.dim % m.heads === 0, { path: ["heads"], message: "heads must divide dim" });

export const modelSchema = z.discriminatedUnion("kind", [mlpModelInputSchema, gptModelInputSchema]);

export const hyperSchema = z
  .object({
    rounds: z.number().int().min(1).max(1000).default(5).describe("R: outer rounds"),
    shards: z.number().int().min(1).max(256).default(8).describe("S: data shards = fragments per round"),
    localSteps: z.number().int().min(1).max(1000).default(20).describe("K: inner steps per fragment (SGD for MLP jobs, AdamW for language models)"),
    batch: z.number().int().min(1).max(1024).default(32).describe("B: mini-batch size"),
    learningRate: z.number().positive().max(10).default(0.05).describe("inner learning rate (language models: AdamW's, e.g. 0.003)"),
    outerLearningRate: z.number().positive().max(10).default(1).describe("outer optimizer (Nesterov) learning rate; 1 with momentum 0 = FedAvg"),
    outerMomentum: z.number().min(0).max(0.999).default(0),
    seed: z.number().int().min(0).max(4_294_967_295).default(42).describe("drives the shard split and batch order"),
  })
  .strict()
  .refine((h) => h.rounds * h.shards <= MAX_FRAGMENTS, { path: ["shards"], message: `rounds × shards must be at most ${MAX_FRAGMENTS}` });

// What every job sets, training or inference: replication, checks, the tier floor and the fee.
const redundancy = z.number().int().min(1).max(5).default(2).describe("k: replicas per fragment");
const spotCheckRate = z.number().min(0).max(1).default(0.05).describe("p: share of accepted fragments re-verified");
const minTier = z.number().int().min(0).max(3).default(0).describe("lowest node tier allowed (0 bronze … 3 platinum)");
const fee = z.string().regex(/^(0|[1-9][0-9]{0,37})$/, "must be a decimal integer of CXT wei below 2^128").default("0").describe("CXT wei escrowed on createTask");

export const createJobSchema = z
  .object({
    kind: z.literal("training").optional().describe('"training" (the default) or, with the other request shape, "inference"'),
    dataset: z.string().min(1).max(64).describe('"mnist", "iris" (MLP), "names", "brown" (language model) or the id of one of your uploaded datasets'),
    normalisation: z
      .enum(normalisationKinds)
      .optional()
      .describe('input scaling: "per-feature" standardises each column on its own (tabular data), "global" uses one mean and std over all values (pixels on one grey scale); default: the dataset\'s own (MNIST global, Iris and uploaded CSVs per-feature)'),
    model: modelSchema.default({ kind: "mlp", hidden: [64], activation: "relu" }),
    hyper: hyperSchema.default({ rounds: 5, shards: 8, localSteps: 20, batch: 32, learningRate: 0.05, outerLearningRate: 1, outerMomentum: 0, seed: 42 }),
    redundancy,
    spotCheckRate,
    minTier,
    fee,
  })
  .strict()
  .meta({ id: "CreateJob" });

export type CreateJobInput = z.input<typeof createJobSchema>;
export type CreateJob = z.output<typeof createJobSchema>;

/** Rows an inference fragment holds by default: large enough that a claim and a signed result cost little next to the rows. */
export const DEFAULT_ROWS_PER_FRAGMENT = 1000;

/**
 * An inference job (docs/concepts/inference.md): a registry classifier over every row of a table dataset,
 * split in order into fragments of `rowsPerFragment` rows, replicated, verified and paid like training.
 */
export const createInferenceJobSchema = z
  .object({
    kind: z.literal("inference"),
    modelId: z.uuid("must be a model id (uuid)").describe("a registry model (GET /api/models); its weights' sha-256 and config go into the spec"),
    dataset: z
      .string()
      .min(1)
      .max(64)
      .describe('"mnist", "iris" or the id of one of your uploaded CSV datasets: its feature columns must be the model\'s inputs (the label column is carried, not used)'),
    rows: z.number().int().min(1).max(10_000_000).optional().describe("classify only the first this many rows (default: all)"),
    rowsPerFragment: z.number().int().min(1).max(100_000).default(DEFAULT_ROWS_PER_FRAGMENT).describe("rows per fragment (the last may hold fewer)"),
    seed: z.number().int().min(0).max(4_294_967_295).default(42).describe("drives the spot-check draw"),
    redundancy,
    spotCheckRate,
    minTier,
    fee,
  })
  .strict()
  .meta({ id: "CreateInferenceJob" });

export type CreateInferenceJobInput = z.input<typeof createInferenceJobSchema>;
export type CreateInferenceJob = z.output<typeof createInferenceJobSchema>;

/** The body of POST /api/jobs: a training job, or an inference job (`kind: "inference"`). */
export const jobRequestSchema = z.union([createJobSchema, createInferenceJobSchema]).meta({ id: "JobRequest" });

/** The request shape its `kind` names (so a bad inference request is told about inference fields, not training ones). */
export const jobRequestSchemaFor = (body: unknown) =>
  typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === "inference" ? createInferenceJobSchema : createJobSchema;

export const jobStatuses = ["awaiting_chain", "active", "completed", "cancelled", "failed", "expired"] as const;

export const jobSummarySchema = z
  .object({
    id: z.string(),
    status: z.enum(jobStatuses),
    specHash: z.string().regex(/^0x[0-9a-f]{64}$/),
    creator: z.string(),
    datasetName: z.string(),
    fragmentCount: z.number().int(),
    workUnits: z.string().describe("FLOPs of the whole job (one replica per fragment)"),
    suggestedFee: z.string().describe("CXT wei"),
    taskId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    activatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "JobSummary" });

export const jobSchema = jobSummarySchema
  .extend({
    spec: z.record(z.string(), z.unknown()).describe("the canonical spec; specHash = keccak256(canonical JSON of it)"),
    canonicalSpec: z.string().describe("the exact bytes hashed (UTF-8)"),
    createTask: z
      .object({ specHash: z.string(), fragmentCount: z.number().int(), fee: z.string(), minTier: z.number().int() })
      .describe("arguments of TaskManager.createTask that activate this job"),
  })
  .meta({ id: "Job" });

export const jobListSchema = z.object({ jobs: z.array(jobSummarySchema) }).meta({ id: "JobList" });
/** PATCH /api/jobs/{id}: a new fee for a job still awaiting its chain task. */
export const repriceJobSchema = z
  .object({ fee: z.string().regex(/^(0|[1-9][0-9]{0,37})$/, "must be a decimal integer of CXT wei below 2^128").describe("CXT wei escrowed on createTask") })
  .strict();

export const jobParamsSchema = z.object({ id: z.uuid("must be a job id (uuid)") }).strict();
export const jobListQuerySchema = z
  .object({ creator: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address").optional(), status: z.enum(jobStatuses).optional() })
  .strict();
