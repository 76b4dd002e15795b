import { describe, expect, it } from "vitest";
import { formatCountdown, nodeWeight, replayTranches, tierFor, tierProgress, tierTable } from "./staking";

const ether = 10n ** 18n;
const t = (s: number) => new Date(s * 1000);

describe("tiers", () => {
  it("needs both the stake and the work threshold", () => {
    expect(tierFor(1_000n * ether, 10n ** 11n - 1n)).toBe(0);
    expect(tierFor(1_000n * ether, 10n ** 11n)).toBe(1);
    expect(tierFor(200_000n * ether, 10n ** 13n)).toBe(2);
    expect(tierFor(200_000n * ether, 10n ** 16n)).toBe(3);
  });

  it("weights stake by the tier multiplier, nothing when inactive", () => {
    expect(nodeWeight(1_000n * ether, 1, true)).toBe(1_250n * ether);
    expect(nodeWeight(1_000n * ether, 1, false)).toBe(0n);
  });

  it("says what the next tier still needs", () => {
    const p = tierProgress(400n * ether, 10n ** 11n);
    expect(p.tier).toBe(0);
    expect(p.next).toMatchObject({ tier: 1, stakeNeeded: 600n * ether, workNeeded: 0n, stakeProgress: 0.4, workProgress: 1 });
    expect(tierProgress(tierTable[3].stake, tierTable[3].work)).toEqual({ tier: 3, next: null });
  });
});

describe("replayTranches", () => {
  it("keeps tranches until a withdrawal at or after their release", () => {
    const list = replayTranches([
      { eventName: "UnstakeRequested", timestamp: t(100), args: { amount: "10", releaseAt: "200" } },
      { eventName: "UnstakeRequested", timestamp: t(150), args: { amount: "5", releaseAt: "250" } },
      { eventName: "Withdrawn", timestamp: t(200), args: { amount: "10" } },
    ]);
    expect(list).toEqual([{ amount: 5n, releaseAt: t(250) }]);
  });

  it("cuts every tranche by a slash's bps, rounding down, and clears them when nothing is left", () => {
    const base = [
      { eventName: "UnstakeRequested", timestamp: t(1), args: { amount: "1000", releaseAt: "9" } },
      { eventName: "UnstakeRequested", timestamp: t(2), args: { amount: "15", releaseAt: "10" } },
    ] as const;
    expect(replayTranches([...base, { eventName: "Slashed", timestamp: t(3), args: { bps: 1000, newUnbonding: "914" } }]).map((x) => x.amount)).toEqual([900n, 14n]);
    expect(replayTranches([...base, { eventName: "Slashed", timestamp: t(3), args: { bps: 10000, newUnbonding: "0" } }])).toEqual([]);
  });
});

describe("formatCountdown", () => {
  it("reads as days, hours, minutes or seconds", () => {
    expect(formatCountdown(0)).toBe("released");
    expect(formatCountdown(35_000)).toBe("35 s");
    expect(formatCountdown(3_725_000)).toBe("1 h 2 min");
    expect(formatCountdown(2 * 86_400_000 + 3 * 3_600_000)).toBe("2 d 3 h");
  });
});
