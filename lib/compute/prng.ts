/**
 * Counter-based randomness: every random number is a pure function of (seed, stream, counter), so a
 * fragment's batch order and a model's initial weights can be recomputed anywhere (browser, Node,
 * coordinator) without carrying generator state. The mixer is Chris Wellons' `lowbias32`
 * (xor-shift / multiply, bias ≈ 0.17); it is not cryptographic and must not be used for challenges.
 */

/** lowbias32: a bijective 32-bit mixer. */
export function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const GOLDEN = 0x9e3779b9;

/** hash(seed, stream, counter) → u32. Each input passes through the mixer before the next is folded in. */
export function hash32(seed: number, stream: number, counter: number): number {
  let h = mix32((seed + GOLDEN) >>> 0);
  h = mix32((h ^ (stream >>> 0)) + GOLDEN);
  return mix32((h ^ (counter >>> 0)) + GOLDEN);
}

/** A uniform integer in [0, n) from a u32 by multiply-shift (exact in doubles for n ≤ 2^21). */
export function uniformBelow(u: number, n: number): number {
  return Math.floor((u * n) / 4294967296);
}

/** The fragment seed of (job seed, round, shard) — the batch order is fixed by these three. */
export function fragmentSeed(jobSeed: number, round: number, shard: number): number {
  return hash32(jobSeed >>> 0, round >>> 0, shard >>> 0);
}

export const MAX_SHARD_ROWS = 1 << 21;

/**
 * The row indices of K mini-batches of B rows from a shard of n rows, sampled WITHOUT replacement within a
 * pass: the stream is π_0 ‖ π_1 ‖ … where π_e is a Fisher–Yates shuffle of [0, n) that draws
 * j = uniformBelow(hash32(seed, e, i), i + 1) for i = n−1 … 1. Step t uses stream positions [tB, tB + B),
 * so a batch may straddle two passes (and then may hold a row twice when B > n).
 */
export function batchIndices(seed: number, n: number, steps: number, batch: number): Uint32Array {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARD_ROWS) throw new RangeError(`shard rows must be in [1, ${MAX_SHARD_ROWS}], got ${n}`);
  const total = steps * batch;
  const out = new Uint32Array(total);
  const perm = new Uint32Array(n);
  let pass = -1;
  for (let t = 0; t < total; t++) {
    const e = Math.floor(t / n);
    if (e !== pass) {
      pass = e;
      for (let i = 0; i < n; i++) perm[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = uniformBelow(hash32(seed >>> 0, e, i), i + 1);
        const tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
      }
    }
    out[t] = perm[t - e * n];
  }
  return out;
}
