// Inference fragments on the wire (docs/concepts/inference.md). A fragment is a run of input rows of the
// job's dataset; its result body — the same slot, EIP-712 signature and sha-256 as a training delta —
// is little-endian float32, one record per row in row order:
//
//   classifier ("classes"): [class, p_0, …, p_{C−1}]   (1 + C values; class an integer, p the softmax)
//   language model ("tokens"): [n, t_1, …, t_maxTokens]  (inference-tokens.ts: the greedy continuation)
//
// The class is the argmax of the float32 logits, ties to the lowest class id, so every honest backend
// names the same class; the probabilities are the softmax in float64 (lib/compute softmaxRows) rounded
// once to float32. Replicas agree when every class is equal and every probability is within
// INFERENCE_TOLERANCE.probability of the other's (WebGPU rounds differently from WASM and the CPU
// reference, which are bit-identical to each other). Isomorphic, like the rest of lib/protocol.
import { forwardFlops, mlpLogits, type MlpSpec } from "@/lib/compute";
import { decodeFloat32 } from "./fragments";
import { continuationProblem, continuationsAgree, continuationWidth, decodePromptShard, gptInferenceFlops, referenceContinuations } from "./inference-tokens";
import { gptOf, mlpOf, normalisedShard } from "./inputs";
import type { InferenceSection, TrainingSpec } from "./spec";

/** Largest allowed absolute difference between two replicas' probabilities of one class. */
export const INFERENCE_TOLERANCE = { probability: 1e-4 } as const;

export type InferenceSpec = TrainingSpec & { kind: "inference"; inference: InferenceSection };

export const isInferenceSpec = (spec: Pick<TrainingSpec, "kind" | "inference">): spec is InferenceSpec => spec.kind === "inference" && spec.inference !== undefined;

/** A language model's job: prompts in, greedy continuations out. */
export const isTokenInference = (spec: InferenceSpec): boolean => spec.inference.output === "tokens";

/** maxTokens of a language model's job. */
export const maxTokensOf = (spec: InferenceSpec): number => {
  const m = spec.inference.maxTokens;
  if (m === undefined) throw new RangeError("a language model's inference spec must set maxTokens");
  return m;
};

/** Float32 values per row of a classifier's result: the class and C probabilities. */
export const classifierWidth = (spec: Pick<MlpSpec, "layers">): number => 1 + spec.layers[spec.layers.length - 1]!;

/** Values of fragment `shard`'s result body: rows × (1 + C). */
export function inferenceResultLength(spec: InferenceSpec, shard: number): number {
  const rows = spec.shards[shard]?.rows;
  if (rows === undefined) throw new RangeError(`the job has no shard ${shard}`);
  return rows * (isTokenInference(spec) ? continuationWidth(maxTokensOf(spec)) : classifierWidth(mlpOf(spec)));
}

/**
 * Work units (FLOPs) of fragment `shard`: a classifier's forward pass over its rows (lib/compute forwardFlops);
 * a language model's maxTokens full-context forward passes per prompt (gptInferenceFlops).
 */
export const inferenceFragmentFlops = (spec: InferenceSpec, shard: number): number =>
  isTokenInference(spec) ? gptInferenceFlops(gptOf(spec), spec.shards[shard]!.rows, maxTokensOf(spec)) : forwardFlops(mlpOf(spec), spec.shards[shard]!.rows);

/** Logits (rows × C) → the result records (see the head of this file). */
export function encodeClassifications(logits: Float32Array, classes: number): Float32Array {
  const rows = logits.length / classes;
  const out = new Float32Array(rows * (1 + classes));
  // softmaxRows' arithmetic row by row (max, exp(z − max) summed in order, each divided in float64 by
  // the sum, rounded once to float32), without its rows × C float64 array: the same bits, less memory.
  const e = new Float64Array(classes);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let best = 0;
    let m = -Infinity;
    for (let c = 0; c < classes; c++) {
      const z = logits[base + c]!;
      if (c > 0 && z > logits[base + best]!) best = c;
      m = Math.max(m, z);
    }
    let total = 0;
    for (let c = 0; c < classes; c++) total += e[c] = Math.exp(logits[base + c]! - m);
    const at = r * (1 + classes);
    out[at] = best;
    for (let c = 0; c < classes; c++) out[at + 1 + c] = e[c]! / total;
  }
  return out;
}

/** One row of a classifier's result. */
export type Classification = { cls: number; probabilities: Float32Array };

export function decodeClassifications(values: Float32Array | Uint8Array, classes: number): Classification[] {
  const v = values instanceof Float32Array ? values : decodeFloat32(values);
  const width = 1 + classes;
  if (v.length % width !== 0) throw new RangeError(`${v.length} values is not a whole number of ${width}-value rows`);
  return Array.from({ length: v.length / width }, (_, r) => ({ cls: v[r * width]!, probabilities: v.subarray(r * width + 1, (r + 1) * width) }));
}

/**
 * Why a result body cannot be a classifier's output for these rows (null when it can): a class that is
 * not an integer below C, or a probability outside [0, 1]. Checked on submission, before anyone compares.
 */
export function classificationProblem(values: Float32Array, classes: number): string | null {
  const width = 1 + classes;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i % width === 0 ? !(Number.isInteger(v) && v >= 0 && v < classes) : !(v >= 0 && v <= 1)) {
      return `row ${Math.floor(i / width)}: ${i % width === 0 ? `class ${v} is not an integer in [0, ${classes})` : `probability ${v} is outside [0, 1]`}`;
    }
  }
  return null;
}

/** Two results of one fragment agree: same length, equal classes, probabilities within the tolerance. */
export function classificationsAgree(a: Float32Array, b: Float32Array, classes: number, tolerance: number = INFERENCE_TOLERANCE.probability): boolean {
  if (a.length !== b.length) return false;
  const width = 1 + classes;
  for (let i = 0; i < a.length; i++) {
    if (i % width === 0 ? a[i] !== b[i] : !(Math.abs(a[i]! - b[i]!) <= tolerance)) return false;
  }
  return true;
}

export const inferenceOutputsAgree = (spec: InferenceSpec, a: Float32Array, b: Float32Array): boolean =>
  isTokenInference(spec) ? continuationsAgree(a, b) : classificationsAgree(a, b, mlpOf(spec).layers.at(-1)!, spec.inference.tolerance.probability);

/** Why a submitted body cannot be this job's output (null when it can), whatever the model kind. */
export function inferenceResultProblem(spec: InferenceSpec, values: Float32Array): string | null {
  if (isTokenInference(spec)) {
    const p = continuationProblem(values, maxTokensOf(spec), gptOf(spec).vocab);
    return p && `not a language model's output: ${p}`;
  }
  const p = classificationProblem(values, classifierWidth(mlpOf(spec)) - 1);
  return p && `not a classifier's output: ${p}`;
}

/** The referee's result for an inference fragment: the CPU reference (mlpLogits, or gptForward's greedy continuations) on its rows. */
export function referenceInference(spec: InferenceSpec, weights: Uint8Array | Float32Array, shardBytes: Uint8Array): Float32Array {
  if (isTokenInference(spec)) return referenceContinuations(gptOf(spec), weights instanceof Float32Array ? weights : decodeFloat32(weights), decodePromptShard(shardBytes), maxTokensOf(spec));
  const mlp = mlpOf(spec);
  const shard = normalisedShard(shardBytes, spec.dataset.mean, spec.dataset.std);
  const rows = shard.labels.length;
  const w = weights instanceof Float32Array ? weights : decodeFloat32(weights);
  return encodeClassifications(mlpLogits(mlp, w, shard.features, rows), mlp.layers.at(-1)!);
}
