import { parameterCount, validateSpec, type MlpSpec } from "./model";
import { MAX_SHARD_ROWS } from "./prng";

/** A shard: `features` holds rows × inputs float32 values row-major; `labels` one class index per row. */
export type Shard = { features: Float32Array; labels: Uint8Array | Uint16Array | Uint32Array | Int32Array };

/**
 * One fragment (docs/concepts/fragments.md; the exact maths: docs/protocol/mlp.md): from `weights`, K = `steps` mini-batch SGD steps of B = `batch`
 * rows of `shard` at learning rate `lr`, batch order from `seed` (see `batchIndices`).
 */
export type FragmentInput = {
  spec: MlpSpec;
  weights: Float32Array;
  shard: Shard;
  steps: number;
  batch: number;
  lr: number;
  seed: number;
};

/** delta = W_after − W_before (float32, element-wise); meanLoss = mean over the K steps of each batch's mean loss. */
export type FragmentResult = { delta: Float32Array; meanLoss: number; stepLosses: Float32Array };

export class FragmentInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FragmentInputError";
  }
}

/** Checks shapes and ranges once, so every backend rejects the same bad input with the same message. */
export function validateFragment(input: FragmentInput): { rows: number } {
  try {
    validateSpec(input.spec);
  } catch (e) {
    throw new FragmentInputError((e as Error).message);
  }
  const { spec, weights, shard, steps, batch, lr, seed } = input;
  const inputs = spec.layers[0];
  const classes = spec.layers[spec.layers.length - 1];
  const rows = shard.labels.length;
  const fail = (m: string): never => {
    throw new FragmentInputError(m);
  };
  if (weights.length !== parameterCount(spec)) fail(`weights have ${weights.length} values, the model needs ${parameterCount(spec)}`);
  if (rows < 1 || rows > MAX_SHARD_ROWS) fail(`a shard needs 1 to ${MAX_SHARD_ROWS} rows, got ${rows}`);
  if (shard.features.length !== rows * inputs) fail(`features have ${shard.features.length} values, expected ${rows} rows × ${inputs}`);
  for (let i = 0; i < rows; i++) {
    const y = shard.labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes) fail(`label ${y} at row ${i} is not a class in [0, ${classes})`);
  }
  if (!Number.isInteger(steps) || steps < 1 || steps > 100_000) fail(`steps must be an integer in [1, 100000], got ${steps}`);
  if (!Number.isInteger(batch) || batch < 1 || batch > 8192) fail(`batch must be an integer in [1, 8192], got ${batch}`);
  if (!Number.isFinite(lr) || lr <= 0) fail(`lr must be a positive number, got ${lr}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail(`seed must be a u32, got ${seed}`);
  return { rows };
}

/** W_after − W_before rounded to float32. */
export function weightDelta(after: Float32Array, before: Float32Array): Float32Array {
  const d = new Float32Array(after.length);
  for (let i = 0; i < d.length; i++) d[i] = after[i] - before[i];
  return d;
}

export function meanOf(stepLosses: Float32Array): number {
  let s = 0;
  for (const l of stepLosses) s += l;
  return s / stepLosses.length;
}

/**
 * Paces a fragment's K steps from outside (a worker's progress, throttle, pause and cancel): awaited before
 * each chunk with the steps done so far and the last chunk's milliseconds (0 before the first), it answers
 * how many steps to run next; it is awaited once more after the last chunk (done = K, its answer unused).
 * It may sleep, wait or throw: a throw stops the fragment between two steps.
 */
export type StepPacer = (done: number, tookMs: number) => number | Promise<number>;

/**
 * Runs K steps as `chunk(from, n)` calls cut by `pace` (without one: a single chunk of K). The trainers keep
 * their state between chunks, so how the steps are cut changes nothing in the result.
 */
export async function runInChunks(steps: number, chunk: (from: number, n: number) => void | Promise<void>, pace?: StepPacer): Promise<void> {
  let took = 0;
  for (let done = 0; done < steps; ) {
    const n = pace ? Math.max(1, Math.min(steps - done, Math.floor(await pace(done, took)) || 1)) : steps;
    const t0 = performance.now();
    await chunk(done, n);
    took = performance.now() - t0;
    done += n;
  }
  await pace?.(steps, took);
}
