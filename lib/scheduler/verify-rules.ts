// The two pure rules verification decides with, apart from the database work of verify.ts, so that
// `npm run test:mutation` can mutate them and their unit tests run in milliseconds.
import { compareWeights, hash32 } from "@/lib/compute";
import { inferenceOutputsAgree, isInferenceSpec, type TrainingSpec } from "@/lib/protocol";
import { TOLERANCE } from "./context";

/**
 * Two results of one fragment agree: training deltas when each is within the relative-L2 tolerance of
 * the other (docs/concepts/verification.md → Tolerance); an inference job's outputs when every class is equal and every
 * probability within its tolerance (lib/protocol inferenceOutputsAgree, docs/concepts/inference.md).
 */
export function agree(a: Float32Array, b: Float32Array, spec?: TrainingSpec): boolean {
  if (spec && isInferenceSpec(spec)) return inferenceOutputsAgree(spec, a, b);
  if (a.length !== b.length) return false;
  return compareWeights(a, b).relativeL2 <= TOLERANCE.relativeL2 && compareWeights(b, a).relativeL2 <= TOLERANCE.relativeL2;
}

/** Deterministic spot-check draw for fragment (r, s) of a job: hash32(seed ⊕ "spot", r, s) / 2³² < rate. */
export function spotChecked(spec: Pick<TrainingSpec, "hyper" | "spotCheckRate">, round: number, shard: number): boolean {
  return hash32((spec.hyper.seed ^ 0x73706f74) >>> 0, round, shard) / 4294967296 < spec.spotCheckRate;
}
