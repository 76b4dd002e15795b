/**
 * The network's recent pay for verified work: the latest epoch's rewards per work unit (CXT wei per
 * FLOP, a decimal string), or null before any epoch. The session's estimate multiplies by it.
 */
export type RewardRate = { epoch: number; weiPerWorkUnit: string } | null;

/** The rate of an epoch's totals (rewards in wei, work in FLOPs); null when it credited no work. */
export function rewardRate(epoch: { epoch: bigint | number; total: { toFixed(): string }; workUnits: { toFixed(): string } } | undefined): RewardRate {
  if (!epoch) return null;
  const work = BigInt(epoch.workUnits.toFixed());
  if (work === 0n) return null;
  return { epoch: Number(epoch.epoch), weiPerWorkUnit: (BigInt(epoch.total.toFixed()) / work).toString() };
}

/**
 * CXT wei this session's accepted work would earn at `rate`: the FLOPs submitted, scaled by the share
 * of results the network accepted so far, × wei per FLOP. An estimate — the epoch that seals this
 * work sets the real amount. Null when there is no rate to estimate with.
 */
export function sessionEstimate(flopsDone: number, submitted: number, accepted: number, rate: RewardRate): bigint | null {
  if (!rate) return null;
  if (submitted === 0) return 0n;
  const acceptedFlops = BigInt(Math.floor((flopsDone * Math.min(accepted, submitted)) / submitted));
  return acceptedFlops * BigInt(rate.weiPerWorkUnit);
}
