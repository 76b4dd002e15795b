import { describe, expect, it } from "vitest";
import { compareWeights } from "./compare";
import { meanDelta, outerStep } from "./outer";

// The input guards of the outer step and the comparison (mutation testing found them unpinned).
describe("outerStep and meanDelta refuse what they cannot average", () => {
  const w = new Float32Array([1, 2]);
  const d = new Float32Array([0.5, -0.5]);
  it("refuses no deltas, deltas of different lengths, deltas or state not matching the weights", () => {
    expect(() => meanDelta([])).toThrow(/^no deltas to average$/);
    expect(() => meanDelta([d, new Float32Array(3)])).toThrow(/^deltas differ in length \(3 vs 2\)$/);
    expect(() => outerStep(new Float32Array(3), [d], { lr: 1, momentum: 0 })).toThrow(/^deltas have 2 values, weights 3$/);
    expect(() => outerStep(w, [d], { lr: 1, momentum: 0.5 }, { velocity: new Float32Array(3) })).toThrow(/^optimizer state does not match the weights$/);
  });
  it("takes lr > 0 and momentum in [0, 1), nothing else", () => {
    for (const opt of [{ lr: 0, momentum: 0 }, { lr: -1, momentum: 0 }, { lr: Number.NaN, momentum: 0 }, { lr: 1, momentum: 1 }, { lr: 1, momentum: -0.1 }, { lr: 1, momentum: Number.NaN }]) {
      expect(() => outerStep(w, [d], opt), JSON.stringify(opt)).toThrow(/^outer lr must be > 0 and momentum in \[0, 1\)$/);
    }
    expect(outerStep(w, [d], { lr: 1, momentum: 0 }).weights).toEqual(new Float32Array([1.5, 1.5]));
    expect(outerStep(w, [d], { lr: 0.5, momentum: 0.999 }).weights[0]).toBeCloseTo(1 + 0.5 * (0.5 + 0.999 * 0.5), 5);
  });
});

describe("compareWeights", () => {
  it("refuses different lengths, reports the largest absolute difference, and falls back to ‖x‖ when the reference is zero", () => {
    expect(() => compareWeights(new Float32Array(2), new Float32Array(3))).toThrow(/^lengths differ: 2 vs 3$/);
    expect(compareWeights(new Float32Array([1, -3, 2]), new Float32Array([1, 1, 1]))).toEqual({ relativeL2: Math.sqrt(17 / 3), maxAbs: 4 });
    expect(compareWeights(new Float32Array([3, 4]), new Float32Array(2))).toEqual({ relativeL2: 5, maxAbs: 4 });
  });
});
