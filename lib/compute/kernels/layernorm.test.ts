import { describe, expect, it } from "vitest";
import { centralDifference, dot64, maxRelativeError, randomArray } from "./grad-check";
import { LAYER_NORM_EPS, layerNormBackwardRef, layerNormForwardRef } from "./layernorm";

function forward64(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    let m = 0;
    for (let c = 0; c < d; c++) m += x[r * d + c];
    m /= d;
    let v = 0;
    for (let c = 0; c < d; c++) v += (x[r * d + c] - m) ** 2;
    v /= d;
    const rs = 1 / Math.sqrt(v + LAYER_NORM_EPS);
    for (let c = 0; c < d; c++) out[r * d + c] = (x[r * d + c] - m) * rs * gamma[c] + beta[c];
  }
  return out;
}

describe("layer norm reference", () => {
  const [N, D] = [3, 8];
  const x = randomArray(N * D, 1, -2, 3);
  const gamma = randomArray(D, 2, 0.5, 1.5);
  const beta = randomArray(D, 3);

  it("normalises each row (mean 0, variance 1 before the affine) and matches float64", () => {
    const out = new Float32Array(N * D);
    const mean = new Float32Array(N);
    const rstd = new Float32Array(N);
    layerNormForwardRef(x, new Float32Array(D).fill(1), new Float32Array(D), out, mean, rstd, N, D);
    for (let r = 0; r < N; r++) {
      const row = [...out.subarray(r * D, (r + 1) * D)];
      expect(row.reduce((a, b) => a + b, 0) / D).toBeCloseTo(0, 5);
      expect(row.reduce((a, b) => a + b * b, 0) / D).toBeCloseTo(1, 3);
    }
    layerNormForwardRef(x, gamma, beta, out, mean, rstd, N, D);
    expect(maxRelativeError(out, forward64(x, gamma, beta, N, D))).toBeLessThan(1e-6);
  });

  it("has the gradient of finite differences for x, gamma and beta", () => {
    const out = new Float32Array(N * D);
    const mean = new Float32Array(N);
    const rstd = new Float32Array(N);
    layerNormForwardRef(x, gamma, beta, out, mean, rstd, N, D);
    const r = randomArray(N * D, 4);
    const dx = new Float32Array(N * D);
    const dgamma = new Float32Array(D);
    const dbeta = new Float32Array(D);
    layerNormBackwardRef(r, x, mean, rstd, gamma, dx, dgamma, dbeta, N, D);
    const x64 = Float64Array.from(x);
    const g64 = Float64Array.from(gamma);
    const b64 = Float64Array.from(beta);
    const fdx = x64.map((_, i) => centralDifference((v) => dot64(forward64(v, g64, b64, N, D), r), x64, i));
    const fdg = g64.map((_, i) => centralDifference((v) => dot64(forward64(x64, v, b64, N, D), r), g64, i));
    const fdb = b64.map((_, i) => centralDifference((v) => dot64(forward64(x64, g64, v, N, D), r), b64, i));
    expect(maxRelativeError(dx, fdx)).toBeLessThan(1e-4);
    expect(maxRelativeError(dgamma, fdg)).toBeLessThan(1e-4);
    expect(maxRelativeError(dbeta, fdb)).toBeLessThan(1e-4);
    // dgamma and dbeta accumulate into what is there (rows added in order onto it).
    const before = Float32Array.from(dbeta);
    const onto = new Float32Array(D).fill(1);
    layerNormBackwardRef(r, x, mean, rstd, gamma, dx, new Float32Array(D), onto, N, D);
    for (let i = 0; i < D; i++) expect(onto[i]).toBeCloseTo(before[i] + 1, 5);
    const again = new Float32Array(D);
    layerNormBackwardRef(r, x, mean, rstd, gamma, dx, new Float32Array(D), again, N, D);
    expect(again).toEqual(before);
  });
});
