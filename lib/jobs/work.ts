// Work units and the suggested fee of a job.
//
// Work units = floating-point operations, the same figure for every device. A fragment's count is
// lib/compute's `fragmentFlops` — the one formula (forward, softmax cross-entropy, backward, update)
// that credentials and the job estimate share, so what a job is priced at is what its workers are
// credited for. The job's work units are R · S fragments (one replica each).
// A language model's fragment is lib/compute's `gptFragmentFlops` (K × gptStepFlops, documented there).
import { fragmentFlops as computeFragmentFlops, gptFragmentFlops, type GptSpec } from "@/lib/compute";

/** Suggested price: 10^15 CXT wei (0.001 CXT) per GFLOP per replica. */
export const FEE_WEI_PER_GFLOP = 10n ** 15n;

/** FLOPs of one fragment (K steps at batch B) of an MLP with these layer sizes. */
export function fragmentFlops(layers: readonly number[], localSteps: number, batch: number): bigint {
  // The activation's cost is one operation per hidden unit whatever its kind, so it does not enter.
  return BigInt(computeFragmentFlops({ layers: [...layers], activation: "relu" }, localSteps, batch));
}

export function jobWorkUnits(layers: readonly number[], h: { rounds: number; shards: number; localSteps: number; batch: number }): bigint {
  return BigInt(h.rounds) * BigInt(h.shards) * fragmentFlops(layers, h.localSteps, h.batch);
}

/** Work units of a language-model job: R · S fragments of K steps at batch B (gptStepFlops each). */
export function gptJobWorkUnits(model: GptSpec, h: { rounds: number; shards: number; localSteps: number; batch: number }): bigint {
  return BigInt(h.rounds) * BigInt(h.shards) * BigInt(gptFragmentFlops(model, h.localSteps, h.batch));
}

/** Work units × redundancy, priced per GFLOP, rounded up. */
export function suggestedFee(workUnits: bigint, redundancy: number): bigint {
  return (workUnits * BigInt(redundancy) * FEE_WEI_PER_GFLOP + 999_999_999n) / 1_000_000_000n;
}
