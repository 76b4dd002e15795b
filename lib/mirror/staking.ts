/**
 * Pure staking arithmetic shared by the server read models and the browser: tiers from the tier
 * table (lib/chain/tiers.ts), progress towards the next tier, and a node's pending unbonding
 * tranches replayed from its Staking events.
 */
import { TIER_BPS, tierTable } from "@/lib/chain/client";

export { TIER_BPS, tierTable };

/** The highest tier whose stake AND work thresholds are met (Tiers.tierOf). */
export function tierFor(stake: bigint, work: bigint): number {
  for (let t = tierTable.length - 1; t > 0; t--) if (stake >= tierTable[t].stake && work >= tierTable[t].work) return t;
  return 0;
}

/** Governance weight of one node: active stake × its tier's multiplier, 0 when inactive (Staking._weight). */
export function nodeWeight(stake: bigint, tier: number, active: boolean): bigint {
  return active ? (stake * tierTable[tier].multiplierBps) / TIER_BPS : 0n;
}

export type TierProgress = {
  tier: number;
  next: null | {
    tier: number;
    stakeNeeded: bigint;
    workNeeded: bigint;
    /** 0..1 each, for the progress bars. */
    stakeProgress: number;
    workProgress: number;
  };
};

const ratio = (have: bigint, need: bigint) => (need === 0n || have >= need ? 1 : Number((have * 10_000n) / need) / 10_000);

/** Where a node stands and what the next tier asks for (what is still missing of each threshold). */
export function tierProgress(stake: bigint, work: bigint): TierProgress {
  const tier = tierFor(stake, work);
  if (tier === tierTable.length - 1) return { tier, next: null };
  const need = tierTable[tier + 1];
  return {
    tier,
    next: {
      tier: tier + 1,
      stakeNeeded: stake >= need.stake ? 0n : need.stake - stake,
      workNeeded: work >= need.work ? 0n : need.work - work,
      stakeProgress: ratio(stake, need.stake),
      workProgress: ratio(work, need.work),
    },
  };
}

export type StakingEvent =
  | { eventName: "UnstakeRequested"; timestamp: Date; args: { amount: string; releaseAt: string } }
  | { eventName: "Withdrawn"; timestamp: Date; args: { amount: string } }
  | { eventName: "Slashed"; timestamp: Date; args: { bps: string | number; newUnbonding: string } };

export type Tranche = { amount: bigint; releaseAt: Date };

/**
 * A node's pending unbonding tranches, replayed from its Staking events in chain order exactly as
 * the contract keeps them: a request appends a tranche; a withdrawal releases every tranche whose
 * time has come at that block (release times never decrease, so a prefix); a slash cuts each
 * tranche by bps (rounded down) and clears them all when nothing is left.
 */
export function replayTranches(events: readonly StakingEvent[]): Tranche[] {
  let list: Tranche[] = [];
  for (const e of events) {
    switch (e.eventName) {
      case "UnstakeRequested":
        list.push({ amount: BigInt(e.args.amount), releaseAt: new Date(Number(e.args.releaseAt) * 1000) });
        break;
      case "Withdrawn":
        list = list.filter((t) => t.releaseAt.getTime() > e.timestamp.getTime());
        break;
      case "Slashed": {
        const bps = BigInt(e.args.bps);
        list = BigInt(e.args.newUnbonding) === 0n ? [] : list.map((t) => ({ ...t, amount: t.amount - (t.amount * bps) / TIER_BPS }));
        break;
      }
    }
  }
  return list;
}

/** "2 d 3 h", "4 h 12 min", "35 s"; "released" once due. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return "released";
  const s = Math.ceil(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}
