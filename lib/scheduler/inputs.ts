// Turning a fragment's content-addressed inputs into lib/compute's FragmentInput. Shared by the
// coordinator (referee, verify-proof) and workers, so every party builds bit-identical inputs.
import { decodeTable } from "@/lib/datasets/layout";
import type { NormalisationKind } from "@/lib/datasets/normalisation";
import { fragmentSeed, type FragmentInput, type MlpSpec, type Shard } from "@/lib/compute";
import { decodeFloat32 } from "./protocol";

/** The parts of a job's canonical spec the scheduler reads (lib/jobs writes it). */
export type TrainingSpec = {
  /** `normalisation` names the rule that produced mean/std (absent in specs written before it existed). */
  dataset: { mean: number[]; std: number[]; features: number; classes: number; normalisation?: NormalisationKind };
  shards: { sha256: string; rows: number }[];
  heldOut: { sha256: string; rows: number };
  model: { layers: number[]; activation: "relu" | "tanh" };
  hyper: { rounds: number; shards: number; localSteps: number; batch: number; learningRate: number; outerLearningRate: number; outerMomentum: number; seed: number };
  redundancy: number;
  spotCheckRate: number;
  minTier: number;
  fee: string;
};

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
