// Turning a fragment's content-addressed inputs into lib/compute's FragmentInput. Shared by the
// coordinator (referee, verify-proof) and workers, so every party builds bit-identical inputs.
import { decodeTable } from "@/lib/datasets/layout";
import { fragmentSeed, type FragmentInput, type MlpSpec, type Shard } from "@/lib/compute";
import { decodeFloat32 } from "./fragments";
import type { TrainingSpec } from "./spec";

/** The compute spec of an "mlp" model (the only kind today: a new kind makes this a compile error to revisit). */
export const mlpOf = (spec: TrainingSpec): MlpSpec => ({ layers: spec.model.layers, activation: spec.model.activation });

/**
 * CXDS bytes → a normalised shard: x' = fround((x − mean_j) / (std_j || 1)) computed in float64, then
 * rounded once to float32 (README → Fragments). mean and std come from the spec as written (per pixel
 * or one global pair repeated, lib/datasets/normalisation.ts); `|| 1` only matters for older specs.
 */
export function normalisedShard(bytes: Uint8Array, mean: readonly number[], std: readonly number[]): Shard {
  const t = decodeTable(bytes);
  const features = new Float32Array(t.x.length);
  for (let i = 0; i < t.rows; i++) {
    for (let j = 0; j < t.features; j++) features[i * t.features + j] = (t.x[i * t.features + j]! - mean[j]!) / (std[j] || 1);
  }
  return { features, labels: t.y };
}

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
