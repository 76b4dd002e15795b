import { describe, expect, it } from "vitest";
import { adamwUpdateRef, clipScaleRef, scaleRef } from "./adamw";

describe("AdamW reference", () => {
  it("matches a float64 hand computation, with decay only where the mask says", () => {
    const w = Float32Array.from([0.5, -0.25, 1.5, 0.01]);
    const g = Float32Array.from([0.1, -0.3, 0.02, 0]);
    const m = Float32Array.from([0.01, 0.02, -0.03, 0.001]);
    const v = Float32Array.from([1e-3, 2e-3, 5e-4, 1e-5]);
    const decay = Uint8Array.from([1, 0, 1, 0]);
    const [step, lr, wd] = [3, 0.01, 0.1];
    const expected = [...w].map((wi, i) => {
      const mi = 0.9 * m[i] + 0.1 * g[i];
      const vi = 0.95 * v[i] + 0.05 * g[i] ** 2;
      const upd = mi / (1 - 0.9 ** step) / (Math.sqrt(vi / (1 - 0.95 ** step)) + 1e-8) + (decay[i] ? wd * wi : 0);
      return { w: wi - lr * upd, m: mi, v: vi };
    });
    adamwUpdateRef(w, g, m, v, decay, step, lr, wd, 4);
    expected.forEach((e, i) => {
      expect(w[i]).toBeCloseTo(e.w, 6);
      expect(m[i]).toBeCloseTo(e.m, 7);
      expect(v[i] / e.v).toBeCloseTo(1, 5);
    });
  });

  it("moves each weight by about lr on the first step (m̂/√v̂ = sign g)", () => {
    const w = Float32Array.from([1, 1]);
    adamwUpdateRef(w, Float32Array.from([3, -0.001]), new Float32Array(2), new Float32Array(2), new Uint8Array(2), 1, 0.01, 0.1, 2);
    expect(w[0]).toBeCloseTo(0.99, 6);
    expect(w[1]).toBeCloseTo(1.01, 6);
  });
});

describe("gradient clipping", () => {
  it("scales a norm above 1 down to 1 and leaves a smaller one alone", () => {
    const g = Float32Array.from([3, 4]); // norm 5
    const s = clipScaleRef(g);
    expect(s).toBeCloseTo(0.2, 6);
    scaleRef(g, s);
    expect(Math.hypot(g[0], g[1])).toBeCloseTo(1, 5);
    const small = Float32Array.from([0.3, 0.4]);
    expect(clipScaleRef(small)).toBe(1);
    scaleRef(small, 1);
    expect([...small]).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
});
