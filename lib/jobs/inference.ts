import "server-only";
// Inference jobs (docs/concepts/inference.md): a registry model over its input. A classifier runs over a
// table dataset's rows, a language model over a prompts file's lines (createPromptsJob). The rows are cut
// in order into fragments of `rowsPerFragment`; the model's safetensors are checked against its config
// and written once more as a flat float32 blob — the W every worker fetches, as for training — and the
// spec names both hashes, so the on-chain spec hash commits to the exact model and rows. One round, no
// outer step: lib/scheduler accepts, verifies and completes it like a training round.
import { createHash } from "node:crypto";
import { ApiError } from "@/lib/api";
import type { BlobStore } from "@/lib/blobs";
import { forwardFlops } from "@/lib/compute";
import { encodeTable, isTextDataset, loadTable, providerTerms, resolveDataset, takeRows } from "@/lib/datasets";
import type { PrismaClient } from "@/lib/db";
import { encodePrefix, expectedTensors, gptSpecOf, modelConfigSchema, readSafetensors, VocabularyError, type GptConfig, type MlpConfig, type ModelConfig } from "@/lib/models/client";
import { encodeFloat32, encodePromptShard, gptInferenceFlops, INFERENCE_TOLERANCE } from "@/lib/protocol";
import { DEFAULT_MAX_TOKENS, DEFAULT_PROMPTS_PER_FRAGMENT, DEFAULT_ROWS_PER_FRAGMENT, MAX_FRAGMENTS, type CreateInferenceJob } from "./schemas";
import { badField, insertJob, jobSpec } from "./service";
import { withSplitBlobs, type SplitSource } from "./shards";

type Ctx = { db: PrismaClient; store: BlobStore; chainId: number };

/** The registry model and its config (400 naming `modelId` when there is none). */
async function registryModel(ctx: Ctx, modelId: string): Promise<{ id: string; sha256: string; config: ModelConfig }> {
  const row = await ctx.db.model.findUnique({ where: { id: modelId } });
  if (!row) throw badField("modelId", `no model ${modelId} in the registry (GET /api/models)`);
  return { id: row.id, sha256: row.sha256, config: modelConfigSchema.parse(row.config) };
}

/** The model's flat float32 weights (the W workers fetch), from its checked safetensors. */
async function flatWeights(ctx: Ctx, model: { id: string; sha256: string; config: ModelConfig }): Promise<Uint8Array> {
  const bytes = await ctx.store.get(model.sha256);
  if (!bytes) throw new ApiError(500, "internal", `model ${model.id}: its weights blob is missing from the blob store`);
  return encodeFloat32(readSafetensors(bytes, expectedTensors(model.config)).weights);
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
  const model = await registryModel(ctx, input.modelId);
  if (model.config.kind === "gpt") return createPromptsJob(ctx, creator, input, { ...model, config: model.config });
  for (const f of ["prompts", "maxTokens"] as const) if (input[f] !== undefined) throw badField(f, `model ${model.id} is a classifier: it takes a dataset, not ${f}`);
  if (input.dataset === undefined) throw badField("dataset", `model ${model.id} is a classifier: name a table dataset ("mnist", "iris" or an uploaded CSV's id)`);
  const config: MlpConfig = model.config;
  const dataset = await resolveDataset(ctx.db, ctx.store, input.dataset, creator);
  if (isTextDataset(dataset)) throw badField("dataset", `"${input.dataset}" is a text dataset: a classifier needs a table (a CSV or a built-in)`);
  checkColumns(config, dataset);
  const rows = Math.min(dataset.rows, input.rows ?? dataset.rows);
  const per = input.rowsPerFragment ?? DEFAULT_ROWS_PER_FRAGMENT;
  const shards = Math.ceil(rows / per);
  if (shards > MAX_FRAGMENTS) throw badField("rowsPerFragment", `${rows} rows in fragments of ${per} is ${shards} fragments, over ${MAX_FRAGMENTS}`);
  const flat = await flatWeights(ctx, model);
  const classes = config.layers.at(-1)!;
  const inputs = config.layers[0]!;
  const split: SplitSource = {
    // infer/2: shards are written compact (u8 features where the table's values allow, CXDS v2); a
    // live job cut under infer/1 keeps its float32 shards, which every worker still reads.
    key: `infer/2:${dataset.sha256}:${rows}:${per}`,
    async cut() {
      const t = await loadTable(ctx.store, dataset.sha256);
      const cut = Array.from({ length: shards }, (_, s) => takeRows(t, Array.from({ length: Math.min(per, rows - s * per) }, (_, i) => s * per + i)));
      const empty = { rows: 0, features: t.features, classes: t.classes, x: new Float32Array(0), y: new Uint32Array(0) };
      // Compact: integer features 0…255 (MNIST's pixels) travel as bytes, a quarter of float32's, and
      // normalise to the very same x' (docs/protocol/inputs.md). Decided per shard: all rows or none.
      return { shards: cut.map((c) => ({ bytes: encodeTable(c, { compact: true }), rows: c.rows })), heldOut: { bytes: encodeTable(empty, { compact: true }), rows: 0 } };
    },
  };
  return withSplitBlobs(ctx, split, async (tx, blobs) => {
    // Written under the split's shared blob lock, so weights collection (expiry.ts) cannot delete it before this job names it.
    const w = await ctx.store.put(flat);
    const spec = jobSpec(ctx.chainId, input, {
      kind: "inference",
      dataset: {
        name: dataset.name, sha256: dataset.sha256, rows, features: inputs, classes,
        // The model's own normalisation (what it was trained with); none is x' = x.
        mean: config.normalisation?.mean ?? new Array<number>(inputs).fill(0),
        std: config.normalisation?.std ?? new Array<number>(inputs).fill(1),
        ...providerTerms(dataset),
      },
      shards: blobs.shards,
      heldOut: blobs.heldOut,
      model: { kind: "mlp", layers: config.layers, activation: config.activation },
      hyper: { rounds: 1, shards, localSteps: 1, batch: per, learningRate: 0, outerLearningRate: 1, outerMomentum: 0, seed: input.seed },
      inference: {
        modelId: model.id, modelSha256: model.sha256, config, weightsSha256: w.sha256, output: "classes", rows, rowsPerFragment: per,
        tolerance: { probability: INFERENCE_TOLERANCE.probability },
      },
    });
    return insertJob(tx, { chainId: ctx.chainId, creator, input, splitKey: split.key }, spec, BigInt(forwardFlops({ layers: config.layers, activation: config.activation }, rows)), dataset.id);
  });
}

/**
 * The prompts file → token ids per line, every line checked: a final newline ends the last line (it
 * starts no empty prompt), "\r\n" is a line break, an empty line is a prompt of no tokens (the model
 * continues the boundary alone). 400 naming the line and the problem: no prompts, a character outside
 * the vocabulary, a prompt the context cannot hold after the boundary token.
 */
export function tokenisePrompts(config: Pick<GptConfig, "vocabulary" | "context">, text: string): number[][] {
  const body = text.replace(/\r\n/g, "\n").replace(/\n$/, "");
  if (body.trim() === "") throw badField("prompts", "the prompts file holds no prompts (it is empty or blank): write one prompt per line");
  return body.split("\n").map((line, i) => {
    let ids: number[];
    try {
      ids = encodePrefix(config, line);
    } catch (e) {
      if (e instanceof VocabularyError) throw badField("prompts", `line ${i + 1}: ${e.message}`);
      throw e;
    }
    if (ids.length > config.context - 1) {
      throw badField("prompts", `line ${i + 1} is ${ids.length} tokens; the model's context (${config.context}) holds at most ${config.context - 1} after the boundary token`);
    }
    return ids;
  });
}

/**
 * A language model's inference job: the prompts file's lines, tokenised, cut in order into CXPR prompt
 * shards; each prompt's greedy continuation (lib/protocol inference-tokens.ts). The file is kept as a
 * dataset row of source "prompts" (the spec's dataset.sha256 names its bytes); it is not offered as a
 * dataset anywhere else.
 */
async function createPromptsJob(ctx: Ctx, creator: string, input: CreateInferenceJob, model: { id: string; sha256: string; config: GptConfig }) {
  const { config } = model;
  if (input.dataset !== undefined) throw badField("dataset", `model ${model.id} is a language model: send its prompts (a text file, one prompt per line) as \`prompts\`, not a dataset`);
  if (input.prompts === undefined) throw badField("prompts", `model ${model.id} is a language model: send a text file of prompts, one per line`);
  const all = tokenisePrompts(config, input.prompts);
  const rows = Math.min(all.length, input.rows ?? all.length);
  const per = input.rowsPerFragment ?? DEFAULT_PROMPTS_PER_FRAGMENT;
  const maxTokens = input.maxTokens ?? DEFAULT_MAX_TOKENS;
  const shards = Math.ceil(rows / per);
  if (shards > MAX_FRAGMENTS) throw badField("rowsPerFragment", `${rows} prompts in fragments of ${per} is ${shards} fragments, over ${MAX_FRAGMENTS}`);
  const gpt = gptSpecOf(config);
  const file = new TextEncoder().encode(input.prompts);
  const fileSha = createHash("sha256").update(file).digest("hex");
  const flat = await flatWeights(ctx, model);
  const split: SplitSource = {
    key: `prompts/1:${fileSha}:${model.sha256}:${rows}:${per}`,
    cut: () => ({
      shards: Array.from({ length: shards }, (_, s) => {
        const p = all.slice(s * per, Math.min(rows, (s + 1) * per));
        return { bytes: encodePromptShard(p, gpt.context, gpt.vocab), rows: p.length };
      }),
      heldOut: { bytes: encodePromptShard([], gpt.context, gpt.vocab), rows: 0 },
    }),
  };
  return withSplitBlobs(ctx, split, async (tx, blobs) => {
    const w = await ctx.store.put(flat);
    await ctx.store.put(file, fileSha);
    const owner = creator.toLowerCase();
    const dataset =
      (await tx.dataset.findFirst({ where: { source: "prompts", owner, sha256: fileSha } })) ??
      (await tx.dataset.create({
        data: {
          source: "prompts", name: `prompts (${all.length} line${all.length === 1 ? "" : "s"})`, owner, sha256: fileSha, rows: all.length, features: 0, classes: gpt.vocab,
          featureNames: [], classNames: config.vocabulary, labelColumn: null, mean: [], std: [], heldOutRows: 0, sizeBytes: BigInt(file.byteLength),
        },
      }));
    const spec = jobSpec(ctx.chainId, input, {
      kind: "inference",
      dataset: { name: dataset.name, sha256: fileSha, rows, features: gpt.context + 1, classes: gpt.vocab, mean: [], std: [], vocabulary: config.vocabulary },
      shards: blobs.shards,
      heldOut: blobs.heldOut,
      model: gpt,
      hyper: { rounds: 1, shards, localSteps: 1, batch: per, learningRate: 0, outerLearningRate: 1, outerMomentum: 0, seed: input.seed },
      inference: {
        modelId: model.id, modelSha256: model.sha256, config, weightsSha256: w.sha256, output: "tokens", maxTokens, rows, rowsPerFragment: per,
        tolerance: { probability: 0 },
      },
    });
    return insertJob(tx, { chainId: ctx.chainId, creator, input, splitKey: split.key }, spec, BigInt(gptInferenceFlops(gpt, rows, maxTokens)), dataset.id);
  });
}
