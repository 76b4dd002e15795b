import { describe, expect, it } from "vitest";
import { rewardRate, sessionEstimate } from "./session-estimate";

const dec = (v: bigint) => ({ toFixed: () => v.toString() });

describe("rewardRate", () => {
  it("is the epoch's rewards per FLOP credited, and none for an epoch without work", () => {
    // The dev seed's genesis: 182,500 CXT for 2.0501e13 FLOPs.
    const r = rewardRate({ epoch: 1n, total: dec(182_500n * 10n ** 18n), workUnits: dec(20_501_000_000_000n) });
    expect(r).toEqual({ epoch: 1, weiPerWorkUnit: ((182_500n * 10n ** 18n) / 20_501_000_000_000n).toString() });
    expect(rewardRate({ epoch: 2n, total: dec(0n), workUnits: dec(0n) })).toBeNull();
    expect(rewardRate(undefined)).toBeNull();
  });
});

describe("sessionEstimate", () => {
  const rate = { epoch: 1, weiPerWorkUnit: "1000" };
  it("counts only the accepted share of the work", () => {
    expect(sessionEstimate(4_000, 4, 3, rate)).toBe(3_000_000n);
    expect(sessionEstimate(4_000, 4, 0, rate)).toBe(0n);
    expect(sessionEstimate(0, 0, 0, rate)).toBe(0n);
  });
  it("has no estimate without a rate", () => {
    expect(sessionEstimate(4_000, 4, 4, null)).toBeNull();
  });
});
