/**
 * Gradient clipping by global norm and the AdamW update (CPU references). Every multiply, add, divide and
 * sqrt is rounded to float32, sums run in index order from 0, and every constant is a float32 first, so
 * WASM (f32 arithmetic) can match bit for bit. The bias corrections use a float64 pow rounded once; a
 * backend computes them on the host and passes them in.
 */

const f = Math.fround;

export const ADAM_BETA1 = f(0.9);
export const ADAM_BETA2 = f(0.95);
export const ADAM_EPS = f(1e-8);
export const CLIP_MAX_NORM = 1;
export const CLIP_EPS = f(1e-6);
export const WEIGHT_DECAY = 0.1;

/** Sum of squares in order, its sqrt, and the factor that brings a norm above 1 down to 1 (else 1). */
export function clipScaleRef(g: Float32Array): number {
  let sq = 0;
  for (let i = 0; i < g.length; i++) sq = f(sq + f(g[i] * g[i]));
  const norm = f(Math.sqrt(sq));
  return norm > CLIP_MAX_NORM ? f(1 / f(norm + CLIP_EPS)) : 1;
}

/** g ← g·scale (float32), a no-op for scale 1. */
export function scaleRef(g: Float32Array, scale: number): void {
  if (scale === 1) return;
  const s = f(scale);
  for (let i = 0; i < g.length; i++) g[i] = f(g[i] * s);
}

/** 1 − β1^step and 1 − β2^step, as the update uses them. */
export function adamBiasCorrections(step: number): { bc1: number; bc2: number } {
  return { bc1: f(1 - f(Math.pow(ADAM_BETA1, step))), bc2: f(1 - f(Math.pow(ADAM_BETA2, step))) };
}

/**
 * One AdamW step (decoupled weight decay) on n weights, step 1-based; m and v are updated in place.
 * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; upd = m̂ / (√v̂ + eps) (+ wd·w where decay[i] = 1); w −= lr·upd.
 */
export function adamwUpdateRef(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  decay: Uint8Array,
  step: number,
  lr: number,
  wd: number,
  n: number,
): void {
  const { bc1, bc2 } = adamBiasCorrections(step);
  const b1 = ADAM_BETA1;
  const b2 = ADAM_BETA2;
  const c1 = f(1 - b1);
  const c2 = f(1 - b2);
  const rate = f(lr);
  const decayRate = f(wd);
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = f(f(b1 * m[i]) + f(c1 * gi));
    const vi = f(f(b2 * v[i]) + f(c2 * f(gi * gi)));
    m[i] = mi;
    v[i] = vi;
    const mhat = f(mi / bc1);
    const vhat = f(vi / bc2);
    let upd = f(mhat / f(f(Math.sqrt(vhat)) + ADAM_EPS));
    if (decay[i]) upd = f(upd + f(decayRate * w[i]));
    w[i] = f(w[i] - f(rate * upd));
  }
}
