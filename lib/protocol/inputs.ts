// Turning a fragment's content-addressed inputs into lib/compute's fragment inputs, for every model kind.
// Shared by the coordinator (referee, verify-proof) and workers, so every party builds bit-identical inputs.
import { decodeTableRaw } from "@/lib/datasets/client";
import { decodeTokenShard } from "@/lib/datasets/client";
import {
  fragmentFlops,
  fragmentSeed,
  gptFragmentFlops,
  gptParameterCount,
  initGptWeights,
  initWeights,
  parameterCount,
  runFragmentReference,
  runGptFragmentReference,
  type FragmentInput,
  type FragmentResult,
  type GptFragmentInput,
  type GptShard,
  type GptSpec,
  type MlpSpec,
  type Shard,
} from "@/lib/compute";
import { decodeFloat32 } from "./fragments";
import { inferenceFragmentFlops, inferenceResultLength, isInferenceSpec, referenceInference } from "./inference";
import type { ModelSpec, TrainingSpec } from "./spec";

/** The model kind a reader did not expect (an MLP-only path handed a GPT spec, or the reverse). */
export class ModelKindError extends Error {
  readonly code = "model_kind";
  constructor(want: string, got: string) {
    super(`expected a "${want}" model, the spec's model is "${got}"`);
    this.name = "ModelKindError";
  }
}

/** The compute spec of an "mlp" model. */
export function mlpOf(spec: Pick<TrainingSpec, "model">): MlpSpec {
  if (spec.model.kind !== "mlp") throw new ModelKindError("mlp", spec.model.kind);
  return { layers: spec.model.layers, activation: spec.model.activation };
}

/** The compute spec of a "gpt" model (the spec's model is lib/compute's GptSpec as it is). */
export function gptOf(spec: Pick<TrainingSpec, "model">): GptSpec {
  if (spec.model.kind !== "gpt") throw new ModelKindError("gpt", spec.model.kind);
  const m = spec.model;
  return { kind: "gpt", layers: m.layers, heads: m.heads, dim: m.dim, context: m.context, vocab: m.vocab, tied: true };
}

/** Float32 values in the model's flat weight layout (= the delta length). */
export const modelParameterCount = (model: ModelSpec): number =>
  model.kind === "gpt" ? gptParameterCount(gptOf({ model })) : parameterCount(mlpOf({ model }));

/** W_0 of a job: the kind's seeded initialisation with the job seed. */
export const initialWeights = (spec: TrainingSpec): Float32Array =>
  spec.model.kind === "gpt" ? initGptWeights(gptOf(spec), spec.hyper.seed) : initWeights(mlpOf(spec), spec.hyper.seed);

/** Work units (FLOPs) of one fragment: K steps at batch B (lib/compute's fragmentFlops / gptFragmentFlops). */
export const modelFragmentFlops = (spec: TrainingSpec): number =>
  spec.model.kind === "gpt"
    ? gptFragmentFlops(gptOf(spec), spec.hyper.localSteps, spec.hyper.batch)
    : fragmentFlops(mlpOf(spec), spec.hyper.localSteps, spec.hyper.batch);

/** Work units of fragment (r, s): an inference fragment counts its own rows, a training one K steps at batch B. */
export const fragmentWorkUnits = (spec: TrainingSpec, shard: number): number =>
  isInferenceSpec(spec) ? inferenceFragmentFlops(spec, shard) : modelFragmentFlops(spec);

/** Float32 values of a result body for fragment (r, s): the delta (one per parameter), or an inference fragment's records. */
export const resultValueCount = (spec: TrainingSpec, shard: number): number =>
  isInferenceSpec(spec) ? inferenceResultLength(spec, shard) : modelParameterCount(spec.model);

/**
 * CXDS bytes → a normalised shard: x' = fround((x − mean_j) / (std_j || 1)) computed in float64, then
 * rounded once to float32 (docs/protocol/inputs.md). mean and std come from the spec as written (per pixel
 * or one global pair repeated, lib/datasets/normalisation.ts); `|| 1` only matters for older specs. A
 * u8 table (CXDS v2) widens each byte exactly, so it gives the same shard as the f32 table of its rows.
 */
export function normalisedShard(bytes: Uint8Array, mean: readonly number[], std: readonly number[]): Shard {
  const t = decodeTableRaw(bytes);
  const d = t.features;
  if (mean.length < d || std.length < d) throw new RangeError(`normalisation has ${Math.min(mean.length, std.length)} statistics for ${d} features`);
  const m = Float64Array.from(mean.slice(0, d));
  const s = Float64Array.from(std.slice(0, d), (v) => v || 1);
  const x = t.x;
  const features = new Float32Array(x.length);
  for (let i = 0, at = 0; i < t.rows; i++) {
    for (let j = 0; j < d; j++, at++) features[at] = (x[at]! - m[j]!) / s[j]!;
  }
  return { features, labels: t.y };
}

/**
 * CXTK bytes (lib/datasets/text/shard.ts) → the token windows of a GPT fragment, checked against the
 * model: a window must hold context + 1 tokens, each below the vocabulary size.
 */
export function tokenShard(bytes: Uint8Array, model: GptSpec): GptShard {
  const s = decodeTokenShard(bytes);
  if (s.width !== model.context + 1) throw new RangeError(`token shard windows hold ${s.width} tokens, the model's context needs ${model.context + 1}`);
  if (s.vocabularySize > model.vocab) throw new RangeError(`token shard vocabulary ${s.vocabularySize} is over the model's ${model.vocab}`);
  return { tokens: s.tokens };
}

/** Fragment (r, s) of an "mlp" job. */
export function fragmentInput(spec: TrainingSpec, round: number, shard: number, weights: Uint8Array | Float32Array, shardBytes: Uint8Array): FragmentInput {
  return {
    spec: mlpOf(spec),
    weights: weights instanceof Float32Array ? weights : decodeFloat32(weights),
    shard: normalisedShard(shardBytes, spec.dataset.mean, spec.dataset.std),
    steps: spec.hyper.localSteps,
    batch: spec.hyper.batch,
    lr: spec.hyper.learningRate,
    seed: fragmentSeed(spec.hyper.seed, round, shard),
  };
}

/** Fragment (r, s) of a "gpt" job. */
export function gptFragmentInput(spec: TrainingSpec, round: number, shard: number, weights: Uint8Array | Float32Array, shardBytes: Uint8Array): GptFragmentInput {
  const model = gptOf(spec);
  return {
    spec: model,
    weights: weights instanceof Float32Array ? weights : decodeFloat32(weights),
    shard: tokenShard(shardBytes, model),
    steps: spec.hyper.localSteps,
    batch: spec.hyper.batch,
    lr: spec.hyper.learningRate,
    seed: fragmentSeed(spec.hyper.seed, round, shard),
  };
}

/**
 * The referee's result for fragment (r, s), whatever the job and model kind: the CPU reference on its
 * inputs. For an inference fragment `delta` is the result body (lib/protocol/inference.ts) and the loss 0.
 */
export function referenceFragment(spec: TrainingSpec, round: number, shard: number, weights: Uint8Array | Float32Array, shardBytes: Uint8Array): FragmentResult {
  if (isInferenceSpec(spec)) return { delta: referenceInference(spec, weights, shardBytes), meanLoss: 0, stepLosses: new Float32Array(0) };
  return spec.model.kind === "gpt"
    ? runGptFragmentReference(gptFragmentInput(spec, round, shard, weights, shardBytes))
    : runFragmentReference(fragmentInput(spec, round, shard, weights, shardBytes));
}
