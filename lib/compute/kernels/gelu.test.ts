import { describe, expect, it } from "vitest";
import { geluBackwardRef, geluForwardRef } from "./gelu";
import { centralDifference, maxRelativeError, randomArray } from "./grad-check";

const gelu64 = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

describe("GELU reference (tanh form)", () => {
  const n = 64;
  const x = randomArray(n, 1, -4, 4);

  it("matches the float64 formula and known values", () => {
    const out = new Float32Array(n);
    geluForwardRef(x, out, n);
    expect(maxRelativeError(out, Array.from(x, gelu64))).toBeLessThan(1e-6);
    const few = new Float32Array(3);
    geluForwardRef(Float32Array.from([0, 1, -1]), few, 3);
    expect(few[0]).toBe(0);
    expect(few[1]).toBeCloseTo(0.841192, 5);
    expect(few[2]).toBeCloseTo(-0.158808, 5);
  });

  it("has the derivative of finite differences", () => {
    const dout = randomArray(n, 2);
    const dx = new Float32Array(n);
    geluBackwardRef(x, dout, dx, n);
    const x64 = Float64Array.from(x);
    const fd = x64.map((_, i) => dout[i] * centralDifference((v) => gelu64(v[i]), x64, i));
    expect(maxRelativeError(dx, fd)).toBeLessThan(1e-5);
  });
});
