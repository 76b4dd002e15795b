// Input and output shapes of /api/models: the routes parse with these and /api/openapi.json is generated
// from them.
import { z } from "zod";
import { modelConfigSchema } from "./config";

export const modelSources = ["job", "upload"] as const;
export const modelKinds = ["mlp", "gpt"] as const;

export const modelParamsSchema = z.object({ id: z.uuid("must be a model id (uuid)") }).strict();

export const modelListQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1).describe("1-based page, newest models first"),
    limit: z.coerce.number().int().min(1).max(100).default(20).describe("models per page"),
  })
  .strict();

const metricsSchema = z.object({
  trainLoss: z.number().nullable(),
  heldOutLoss: z.number().nullable().describe("held-out loss (language models: validation loss, nats per character)"),
  heldOutAccuracy: z.number().nullable().describe("classifiers only"),
  rounds: z.number().int(),
});

export const jobLineageSchema = z.object({
  kind: z.literal("job"),
  jobId: z.uuid(),
  specHash: z.string(),
  dataset: z.string(),
  creator: z.string(),
  taskId: z.string().nullable(),
  completeTx: z.string().nullable().describe("the TaskManager.complete transaction"),
  proofRoot: z.string().describe("the job's proof root: 0x + a sha-256 chain over the spec hash and every round record of its proof (lib/protocol proofRoot; verify-proof recomputes it)"),
  metrics: metricsSchema.describe("the last aggregated round's"),
});
export const uploadLineageSchema = z.object({ kind: z.literal("upload"), uploadedBy: z.string().describe("the uploader's address"), fileName: z.string() });
export const lineageSchema = z.discriminatedUnion("kind", [jobLineageSchema, uploadLineageSchema]).meta({ id: "ModelLineage" });
export type Lineage = z.output<typeof lineageSchema>;
export type JobLineage = z.output<typeof jobLineageSchema>;

export const modelSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(modelKinds),
    source: z.enum(modelSources),
    architecture: z.string().describe('e.g. "MLP 784-128-10 relu"'),
    parameters: z.number().int(),
    sizeBytes: z.number().int().describe("bytes of the safetensors file"),
    sha256: z.string().describe("sha-256 of the safetensors bytes (the content hash; GET /api/blobs/{sha256} serves them too)"),
    createdAt: z.iso.datetime(),
    lineage: lineageSchema,
    description: z.string().describe('"trained by job …" or "uploaded by 0x…"'),
    links: z.object({
      self: z.string(),
      page: z.string().describe("the model's page (model card, lineage, Try it)"),
      weights: z.string().describe("the safetensors file"),
      card: z.string().describe("the model card (JSON)"),
      proof: z.string().nullable().describe("the training job's proof (null for uploads)"),
    }),
  })
  .meta({ id: "ModelSummary" });

export const modelSchema = modelSummarySchema.extend({ config: modelConfigSchema }).meta({ id: "Model" });

export const modelListSchema = z
  .object({ models: z.array(modelSummarySchema), page: z.number().int(), limit: z.number().int(), total: z.number().int() })
  .meta({ id: "ModelList" });

export const registryCardSchema = modelSchema
  .extend({
    format: z.literal("corex-model-card/1"),
    usage: z.string(),
    training: z.record(z.string(), z.unknown()).nullable().describe("a job's model card (GET /api/jobs/{id}/model-card): spec, metrics, hashes"),
  })
  .meta({ id: "RegistryModelCard" });

/** The multipart form of POST /api/models (documented in OpenAPI; read as it streams). */
export const modelUploadSchema = z
  .object({
    config: z
      .string()
      .describe('the model\'s config as JSON, sent before `file`: {"kind":"mlp","layers":[4,8,3],"activation":"relu", features?, classes?, image?, normalisation?} or {"kind":"gpt","layers","heads","dim","context","vocab","vocabulary":["\\n",…]} (schema ModelConfig)'),
    name: z.string().max(200).optional().describe("display name (default: the file name)"),
    file: z
      .string()
      .describe("safetensors: every tensor the config implies (MLP layers.{l}.weight [n_in, n_out], layers.{l}.bias [n_out]; GPT wte, wpe, h{l}.…, lnf.g, lnf.b), F32, finite, nothing else; ≤ MAX_MODEL_UPLOAD_BYTES")
      .meta({ format: "binary" }),
  })
  .strict()
  .meta({ id: "ModelUpload" });
