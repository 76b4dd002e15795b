/**
 * Test helpers for the kernels' finite-difference checks (imported by *.test.ts only). The backward kernels
 * run in float32; the checks compare them with central differences of a float64 forward of the same maths,
 * so the f32 rounding of the reference does not limit the check.
 */
import { hash32 } from "../prng";

/** Deterministic uniform values in [lo, hi). */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + ((hi - lo) * hash32(seed, 99, i)) / 4294967296;
  return a;
}

/** L = Σ out·r in float64, the scalar whose gradient w.r.t. out is r. */
export function dot64(a: ArrayLike<number>, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * r[i];
  return s;
}

/** Central difference of loss(x) w.r.t. x[i], in float64 (x is a float64 copy, restored afterwards). */
export function centralDifference(loss: (x: Float64Array) => number, x: Float64Array, i: number, eps = 1e-6): number {
  const x0 = x[i];
  x[i] = x0 + eps;
  const up = loss(x);
  x[i] = x0 - eps;
  const down = loss(x);
  x[i] = x0;
  return (up - down) / (2 * eps);
}

/** max_i |a_i − b_i| / (|b|_∞ + floor): a relative error against the largest reference value. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  let scale = floor;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  return err / scale;
}
