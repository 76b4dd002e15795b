// How a job's dataset becomes S shards and a held-out split, reproducibly from the job's seed:
//
// 1. Permutation: Fisher–Yates over row indices 0..n−1 driven by mulberry32(seed):
//    for i = n−1 down to 1: j = floor(u · (i + 1)), swap(i, j), u the next mulberry32 output / 2^32.
// 2. Held-out: built-in datasets with a fixed held-out part (MNIST: the last 2,000 rows) keep it; the
//    training rows are the rest, permuted as in 1. Otherwise the first h = round(n · 0.2) rows of the
//    permutation are held out and the remaining n − h, in permutation order, are the training rows.
// 3. Shards: the training rows are dealt into S contiguous runs; shard s gets rows
//    [floor(s · m / S), floor((s + 1) · m / S)) of the m training rows, so sizes differ by at most one.
import { takeRows, type Table } from "./layout";

export const HELD_OUT_FRACTION = 0.2;

/** mulberry32: a tiny, well-known 32-bit PRNG; easy to reimplement in any worker language. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export function permutation(n: number, seed: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const next = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((next() / 4294967296) * (i + 1));
    const tmp = p[i]!;
    p[i] = p[j]!;
    p[j] = tmp;
  }
  return p;
}

export type Split = { shards: Table[]; heldOut: Table };

export function splitTable(t: Table, opts: { seed: number; shards: number; fixedHeldOutRows?: number | null }): Split {
  let train: Uint32Array;
  let held: Uint32Array;
  if (opts.fixedHeldOutRows) {
    const m = t.rows - opts.fixedHeldOutRows;
    const p = permutation(m, opts.seed);
    train = p;
    held = Uint32Array.from({ length: opts.fixedHeldOutRows }, (_, k) => m + k);
  } else {
    const p = permutation(t.rows, opts.seed);
    const h = Math.round(t.rows * HELD_OUT_FRACTION);
    held = p.subarray(0, h);
    train = p.subarray(h);
  }
  const m = train.length;
  if (opts.shards > m) throw new Error(`${opts.shards} shards for ${m} training rows: every shard needs a row`);
  const shards = Array.from({ length: opts.shards }, (_, s) =>
    takeRows(t, train.subarray(Math.floor((s * m) / opts.shards), Math.floor(((s + 1) * m) / opts.shards))),
  );
  return { shards, heldOut: takeRows(t, held) };
}
