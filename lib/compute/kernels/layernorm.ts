/**
 * LayerNorm over the last dimension (CPU reference), eps = 1e-5. Rounding contract as in matmul.ts: every
 * multiply, add, divide and sqrt is rounded to float32 and every sum runs in increasing index order from 0.
 * The forward keeps each row's mean and 1/std for the backward pass.
 */

const f = Math.fround;

export const LAYER_NORM_EPS = f(1e-5);

/**
 * Per row n of x (N×D): mean = Σ_d x / D; var = Σ_d (x − mean)² / D; rstd = 1 / √(var + eps);
 * out = (x − mean)·rstd·gamma + beta.
 */
export function layerNormForwardRef(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  out: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  n: number,
  d: number,
): void {
  for (let r = 0; r < n; r++) {
    const base = r * d;
    let s = 0;
    for (let c = 0; c < d; c++) s = f(s + x[base + c]);
    const m = f(s / d); // a divide, not a multiply by 1/D: 1/D is not exact in float32
    let v = 0;
    for (let c = 0; c < d; c++) {
      const dx = f(x[base + c] - m);
      v = f(v + f(dx * dx));
    }
    const variance = f(v / d);
    const rs = f(1 / f(Math.sqrt(f(variance + LAYER_NORM_EPS))));
    mean[r] = m;
    rstd[r] = rs;
    for (let c = 0; c < d; c++) {
      const xhat = f(f(x[base + c] - m) * rs);
      out[base + c] = f(f(xhat * gamma[c]) + beta[c]);
    }
  }
}

/**
 * dx (overwritten) and dgamma, dbeta (accumulated over rows n = 0…N−1 in order). Per row, with
 * g = dout·gamma: dx = rstd · (g − mean_d(g) − xhat · mean_d(g·xhat)).
 */
export function layerNormBackwardRef(
  dout: Float32Array,
  x: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  gamma: Float32Array,
  dx: Float32Array,
  dgamma: Float32Array,
  dbeta: Float32Array,
  n: number,
  d: number,
): void {
  const xhat = new Float32Array(d);
  const g = new Float32Array(d);
  for (let r = 0; r < n; r++) {
    const base = r * d;
    const m = mean[r];
    const rs = rstd[r];
    let a = 0;
    let c2 = 0;
    for (let c = 0; c < d; c++) {
      xhat[c] = f(f(x[base + c] - m) * rs);
      g[c] = f(dout[base + c] * gamma[c]);
      a = f(a + g[c]);
      c2 = f(c2 + f(g[c] * xhat[c]));
    }
    const ma = f(a / d);
    const mc = f(c2 / d);
    for (let c = 0; c < d; c++) {
      dx[base + c] = f(rs * f(f(g[c] - ma) - f(xhat[c] * mc)));
      dgamma[c] = f(dgamma[c] + f(dout[base + c] * xhat[c]));
      dbeta[c] = f(dbeta[c] + dout[base + c]);
    }
  }
}
