import "server-only";
// Inference jobs (docs/concepts/inference.md): a registry classifier over a table dataset's rows. The rows
// are cut in order into fragments of `rowsPerFragment`; the model's safetensors are checked against its
// config and written once more as a flat float32 blob — the W every worker fetches, as for training —
// and the spec names both hashes, so the on-chain spec hash commits to the exact model and rows. One
// round, no outer step: lib/scheduler accepts, verifies and completes it like a training round.
import { ApiError } from "@/lib/api";
import type { BlobStore } from "@/lib/blobs";
import { forwardFlops } from "@/lib/compute";
import { encodeTable, isTextDataset, loadTable, resolveDataset, takeRows } from "@/lib/datasets";
import type { PrismaClient } from "@/lib/db";
import { expectedTensors, modelConfigSchema, readSafetensors, type MlpConfig } from "@/lib/models/client";
import { encodeFloat32, INFERENCE_TOLERANCE } from "@/lib/protocol";
import { MAX_FRAGMENTS, type CreateInferenceJob } from "./schemas";
import { badField, insertJob, jobSpec } from "./service";
import { withSplitBlobs, type SplitSource } from "./shards";

type Ctx = { db: PrismaClient; store: BlobStore; chainId: number };

/** The registry model and its config, refused (400 naming `modelId`) unless it is a classifier this release runs. */
async function classifierModel(ctx: Ctx, modelId: string): Promise<{ id: string; sha256: string; config: MlpConfig }> {
  const row = await ctx.db.model.findUnique({ where: { id: modelId } });
  if (!row) throw badField("modelId", `no model ${modelId} in the registry (GET /api/models)`);
  const config = modelConfigSchema.parse(row.config);
  if (config.kind !== "mlp") throw badField("modelId", `model ${modelId} is a language model: inference jobs run classifiers (mlp) in this release`);
  return { id: row.id, sha256: row.sha256, config };
}

/** The dataset's feature columns must be the model's inputs: as many, and named alike when the model names them. */
function checkColumns(config: MlpConfig, dataset: { name: string; features: number; featureNames: unknown }) {
  const inputs = config.layers[0]!;
  if (dataset.features !== inputs) throw badField("dataset", `"${dataset.name}" has ${dataset.features} feature columns; the model takes ${inputs} inputs`);
  const names = Array.isArray(dataset.featureNames) ? (dataset.featureNames as string[]) : null;
  const j = config.features && names ? config.features.findIndex((f, i) => names[i] !== f) : -1;
  if (j >= 0) throw badField("dataset", `column ${j + 1} of "${dataset.name}" is "${names![j]}"; the model's input ${j + 1} is "${config.features![j]}"`);
}

/** Creates an inference job awaiting its on-chain task. Every check runs before any blob is written. */
export async function createInferenceJob(ctx: Ctx, creator: string, input: CreateInferenceJob) {
  const model = await classifierModel(ctx, input.modelId);
  const dataset = await resolveDataset(ctx.db, ctx.store, input.dataset, creator);
  if (isTextDataset(dataset)) throw badField("dataset", `"${input.dataset}" is a text dataset: a classifier needs a table (a CSV or a built-in)`);
  const { config } = model;
  checkColumns(config, dataset);
  const rows = Math.min(dataset.rows, input.rows ?? dataset.rows);
  const per = input.rowsPerFragment;
  const shards = Math.ceil(rows / per);
  if (shards > MAX_FRAGMENTS) throw badField("rowsPerFragment", `${rows} rows in fragments of ${per} is ${shards} fragments, over ${MAX_FRAGMENTS}`);
  const bytes = await ctx.store.get(model.sha256);
  if (!bytes) throw new ApiError(500, "internal", `model ${model.id}: its weights blob is missing from the blob store`);
  const { weights } = readSafetensors(bytes, expectedTensors(config));
  const classes = config.layers.at(-1)!;
  const inputs = config.layers[0]!;
  const split: SplitSource = {
    key: `infer/1:${dataset.sha256}:${rows}:${per}`,
    async cut() {
      const t = await loadTable(ctx.store, dataset.sha256);
      const cut = Array.from({ length: shards }, (_, s) => takeRows(t, Array.from({ length: Math.min(per, rows - s * per) }, (_, i) => s * per + i)));
      const empty = { rows: 0, features: t.features, classes: t.classes, x: new Float32Array(0), y: new Uint32Array(0) };
      return { shards: cut.map((c) => ({ bytes: encodeTable(c), rows: c.rows })), heldOut: { bytes: encodeTable(empty), rows: 0 } };
    },
  };
  const flat = await ctx.store.put(encodeFloat32(weights));
  return withSplitBlobs(ctx, split, (tx, blobs) => {
    const spec = jobSpec(ctx.chainId, input, {
      kind: "inference",
      dataset: {
        name: dataset.name, sha256: dataset.sha256, rows, features: inputs, classes,
        // The model's own normalisation (what it was trained with); none is x' = x.
        mean: config.normalisation?.mean ?? new Array<number>(inputs).fill(0),
        std: config.normalisation?.std ?? new Array<number>(inputs).fill(1),
      },
      shards: blobs.shards,
      heldOut: blobs.heldOut,
      model: { kind: "mlp", layers: config.layers, activation: config.activation },
      hyper: { rounds: 1, shards, localSteps: 1, batch: per, learningRate: 0, outerLearningRate: 1, outerMomentum: 0, seed: input.seed },
      inference: {
        modelId: model.id, modelSha256: model.sha256, config, weightsSha256: flat.sha256, output: "classes", rows, rowsPerFragment: per,
        tolerance: { probability: INFERENCE_TOLERANCE.probability },
      },
    });
    return insertJob(tx, { chainId: ctx.chainId, creator, input, splitKey: split.key }, spec, BigInt(forwardFlops({ layers: config.layers, activation: config.activation }, rows)), dataset.id);
  });
}
