// Work units and the suggested fee of a job.
//
// Work units = floating-point operations, the same figure for every device. One fragment runs K
// steps of mini-batch SGD with batch B through an MLP with layer sizes n_0 … n_L; per sample the
// forward pass costs 2·Σ n_{l−1}·n_l and the backward pass twice that, so
//   fragment FLOPs = 6 · K · B · Σ_{l=1..L} n_{l−1} · n_l
// and the job's work units are R · S · fragment FLOPs (one replica per fragment).
// This formula MUST match lib/compute's (the compute engineer owns the training maths and the
// credential's work units); keep the two in sync.

/** Suggested price: 10^15 CXT wei (0.001 CXT) per GFLOP per replica. */
export const FEE_WEI_PER_GFLOP = 10n ** 15n;

export function fragmentFlops(layers: readonly number[], localSteps: number, batch: number): bigint {
  let weights = 0n;
  for (let l = 1; l < layers.length; l++) weights += BigInt(layers[l - 1]!) * BigInt(layers[l]!);
  return 6n * BigInt(localSteps) * BigInt(batch) * weights;
}

export function jobWorkUnits(layers: readonly number[], h: { rounds: number; shards: number; localSteps: number; batch: number }): bigint {
  return BigInt(h.rounds) * BigInt(h.shards) * fragmentFlops(layers, h.localSteps, h.batch);
}

/** Work units × redundancy, priced per GFLOP, rounded up. */
export function suggestedFee(workUnits: bigint, redundancy: number): bigint {
  return (workUnits * BigInt(redundancy) * FEE_WEI_PER_GFLOP + 999_999_999n) / 1_000_000_000n;
}
