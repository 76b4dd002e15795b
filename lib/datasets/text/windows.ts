// Token stream → shard rows. A row (window) is context + 1 consecutive token ids: inputs are its first
// `context`, targets its last `context` (GPT-CONTRACT: x = window[0..T), y = window[1..T]).
//
// Windows start every `context` tokens (stride = context): window r = stream[r·c, r·c + c + 1). Adjacent
// windows share one token (the last input of one is the first of the next), so every token after the
// first is a target exactly once. rows = floor((L − 1) / c); the last (L − 1) mod c targets, fewer than
// one window's worth, are not used.
//
// Shards: the training windows are permuted with the job's seed and dealt into S contiguous runs, exactly
// as lib/datasets/split.ts deals table rows (mulberry32 Fisher–Yates, shard s gets rows
// [floor(s·m/S), floor((s+1)·m/S))). The validation stream's windows, in order, are the held-out shard.
import { permutation } from "../split";
import type { TokenShard } from "./shard";

export function windowCount(streamLength: number, context: number): number {
  return streamLength < 2 ? 0 : Math.floor((streamLength - 1) / context);
}

export function windowsOf(stream: ArrayLike<number>, context: number): TokenShard {
  if (!Number.isInteger(context) || context < 1) throw new Error(`context ${context} is not a positive integer`);
  const width = context + 1;
  const rows = windowCount(stream.length, context);
  const tokens = new Uint32Array(rows * width);
  for (let r = 0, at = 0; r < rows; r++) {
    for (let j = 0, from = r * context; j < width; j++) tokens[at++] = stream[from + j]!;
  }
  return { tokens, rows, width };
}

/** Rows `idx` of `shard`, in that order. */
export function takeWindows(shard: TokenShard, idx: ArrayLike<number>): TokenShard {
  const w = shard.width;
  const tokens = new Uint32Array(idx.length * w);
  const src = shard.tokens;
  for (let k = 0, at = 0; k < idx.length; k++) {
    for (let j = 0, from = idx[k]! * w; j < w; j++) tokens[at++] = src[from + j]!;
  }
  return { tokens, rows: idx.length, width: w };
}

/** The training windows dealt into `shards` shards (see the header); every shard gets at least one row. */
export function shardWindows(train: TokenShard, opts: { seed: number; shards: number }): TokenShard[] {
  const m = train.rows;
  if (!Number.isInteger(opts.shards) || opts.shards < 1) throw new Error(`${opts.shards} shards: need a positive integer`);
  if (opts.shards > m) throw new Error(`${opts.shards} shards for ${m} training windows: every shard needs a window`);
  const p = permutation(m, opts.seed);
  return Array.from({ length: opts.shards }, (_, s) => takeWindows(train, p.subarray(Math.floor((s * m) / opts.shards), Math.floor(((s + 1) * m) / opts.shards))));
}
