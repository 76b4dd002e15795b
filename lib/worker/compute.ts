// One fragment on this device, in chunks of steps: progress between chunks, a throttle (share of wall
// time spent computing) and cancellation. Chunking changes nothing in the maths: the trainers keep
// weights, shard (and a GPT's AdamW moments) in their buffers and a step only depends on them and its
// batch indices.
import {
  batchIndices,
  getGpu,
  GptWasmTrainer,
  MlpWasmPredictor,
  MlpWebGpuPredictor,
  runGptFragmentReference,
  runGptFragmentWasm,
  runGptFragmentWebGpu,
  runInChunks,
  validateFragment,
  validateGptFragment,
  WasmKernels,
  WasmTrainer,
  WebGpuTrainer,
  type FragmentInput,
  type FragmentResult,
  type GptFragmentInput,
  type GptSpec,
  type MlpSpec,
  type Shard,
  type StepPacer,
} from "@/lib/compute";
import { continueGreedy, encodeContinuations, type PromptShard, type WindowLogits } from "@/lib/protocol";
import { encodeClassifications } from "@/lib/protocol";
import type { GpuContext } from "@/lib/compute";

type Trainer = {
  setShard(shard: FragmentInput["shard"]): void;
  setWeights(w: Float32Array): void;
  run(order: Uint32Array, lr: number): Float32Array | Promise<Float32Array>;
  weights(): Float32Array | Promise<Float32Array>;
  destroy?(): void;
};

export type DeviceInfo = { backend: "webgpu" | "wasm"; adapter: string; fallback: boolean; note?: string };

/** A classifier's forward pass on a device (inference fragments). */
export type Predictor = { logits(features: Float32Array, rows: number): Float32Array | Promise<Float32Array>; destroy?(): void };

export type ComputeBackend = {
  device: DeviceInfo;
  trainer(spec: MlpSpec, batch: number): Promise<Trainer>;
  /** An MLP's forward pass for inference fragments; absent: WebAssembly (bit-identical to the referee). */
  predictor?(spec: MlpSpec, weights: Float32Array): Promise<Predictor>;
  /** A whole GPT fragment on this device, its steps cut by `pace`; absent: the WASM trainer (bit-identical to the reference). */
  gpt?(input: GptFragmentInput, pace?: StepPacer): Promise<FragmentResult>;
};

export class AbortedError extends Error {
  constructor(message = "stopped") {
    super(message);
    this.name = "AbortedError";
  }
}

/** The WebAssembly SIMD path (browsers and Node). */
export function wasmBackend(note?: string): ComputeBackend {
  return {
    device: { backend: "wasm", adapter: "WebAssembly SIMD (CPU)", fallback: true, ...(note ? { note } : {}) },
    trainer: async (spec, batch) => new WasmTrainer(await WasmKernels.create(), spec, batch),
    gpt: runGptFragmentWasm,
  };
}

/** The referee's GPT fragment in one piece (it takes no pacer): paced before it starts and once it is done. */
async function referenceGpt(input: GptFragmentInput, pace?: StepPacer): Promise<FragmentResult> {
  await pace?.(0, 0);
  const t0 = performance.now();
  const result = runGptFragmentReference(input);
  await pace?.(input.steps, performance.now() - t0);
  return result;
}

/** The CPU reference (the referee's code): slow, for checking a device against it. */
export function referenceBackend(): ComputeBackend {
  return { ...wasmBackend(), device: { backend: "wasm", adapter: "CPU reference (JavaScript)", fallback: true, note: "reference" }, gpt: referenceGpt };
}

export function webGpuBackend(ctx: GpuContext, adapter: string, fallback: boolean): ComputeBackend {
  return {
    device: { backend: "webgpu", adapter, fallback },
    trainer: async (spec, batch) => new WebGpuTrainer(ctx, spec, batch),
    predictor: (spec, weights) => MlpWebGpuPredictor.create(spec, weights, ctx),
    gpt: (input, pace) => runGptFragmentWebGpu(input, ctx, pace),
  };
}

/**
 * WebGPU when the page (or Web Worker) has an adapter, else WebAssembly with the reason said. `prefer`
 * forces one (tests, and users who want the CPU path).
 */
export async function pickBackend(prefer: "auto" | "webgpu" | "wasm" = "auto"): Promise<ComputeBackend> {
  if (prefer === "wasm") return wasmBackend("chosen");
  const hasGpu = typeof navigator !== "undefined" && "gpu" in navigator;
  if (!hasGpu) return wasmBackend("WebGPU is not available here: computing on the CPU (WebAssembly)");
  try {
    const ctx = await getGpu();
    if (!ctx) return wasmBackend("no WebGPU adapter: computing on the CPU (WebAssembly)");
    const { vendor, architecture, description, isFallback } = ctx.adapter;
    const name = [vendor, architecture, description].filter(Boolean).join(" ") || "WebGPU adapter";
    return webGpuBackend(ctx, name, isFallback);
  } catch (e) {
    return wasmBackend(`WebGPU failed (${(e as Error).message}): computing on the CPU (WebAssembly)`);
  }
}

export type Progress = { step: number; steps: number; computeMs: number };

export type RunOptions = {
  /** steps per chunk; default: sized so that a chunk takes about 250 ms (the UI and signals stay live) */
  chunkSteps?: number;
  /** share of wall time spent computing, (0, 1]; the rest is slept between chunks */
  throttle?: () => number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** resolves while the worker is paused (between chunks) */
  gate?: () => Promise<void>;
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortedError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * The pacing every fragment runs under, whatever its kind (lib/compute's runInChunks awaits it between
 * chunks of steps): after a chunk, progress, the next chunk's size (measured: about 250 ms of compute, so
 * the UI and signals stay live) and the throttle's sleep; before the next one, cancel and pause.
 */
function pacer(opts: RunOptions, steps: number): { pace: StepPacer; computeMs: () => number } {
  let chunk = Math.max(1, opts.chunkSteps ?? 1);
  let computeMs = 0;
  let last = 0;
  const pace: StepPacer = async (done, took) => {
    if (done > last) {
      computeMs += took;
      if (opts.chunkSteps === undefined) chunk = Math.max(1, Math.min(1000, Math.round((250 * (done - last)) / Math.max(took, 0.01))));
      last = done;
      opts.onProgress?.({ step: done, steps, computeMs });
      const share = Math.min(1, Math.max(0.05, opts.throttle?.() ?? 1));
      // Always yield a macrotask between chunks: a WASM chunk is synchronous, and awaiting an already
      // resolved promise only runs microtasks, so Ctrl-C, heartbeat timers and the page's pause
      // messages would otherwise wait for the whole fragment.
      await sleep(share < 1 ? (took * (1 - share)) / share : 0, opts.signal);
    }
    if (done < steps) {
      await opts.gate?.();
      // A stop that came while paused (or during the sleep's last moment) ends it here, between steps.
      if (opts.signal?.aborted) throw new AbortedError();
    }
    return chunk;
  };
  return { pace, computeMs: () => computeMs };
}

/** Runs the fragment; the result is the same as `runFragmentReference`'s up to the backend's rounding. */
export async function runFragment(backend: ComputeBackend, input: FragmentInput, opts: RunOptions = {}): Promise<FragmentResult & { computeMs: number }> {
  validateFragment(input);
  const { steps, batch } = input;
  const order = batchIndices(input.seed, input.shard.labels.length, steps, batch);
  const trainer = await backend.trainer(input.spec, batch);
  try {
    trainer.setShard(input.shard);
    trainer.setWeights(input.weights);
    const stepLosses = new Float32Array(steps);
    const { pace, computeMs } = pacer(opts, steps);
    await runInChunks(steps, async (from, n) => stepLosses.set(await trainer.run(order.subarray(from * batch, (from + n) * batch), input.lr), from), pace);
    const after = await trainer.weights();
    const delta = new Float32Array(after.length);
    for (let i = 0; i < delta.length; i++) delta[i] = after[i]! - input.weights[i]!;
    let s = 0;
    for (const l of stepLosses) s += l;
    return { delta, meanLoss: s / steps, stepLosses, computeMs: computeMs() };
  } finally {
    trainer.destroy?.();
  }
}

/**
 * A GPT fragment on this device, paced like an MLP one (progress per chunk of steps, throttle, pause,
 * cancel between steps): the GPT trainers carry their AdamW moments from one chunk to the next.
 */
export async function runGptFragment(backend: ComputeBackend, input: GptFragmentInput, opts: RunOptions = {}): Promise<FragmentResult & { computeMs: number }> {
  validateGptFragment(input);
  const { pace, computeMs } = pacer(opts, input.steps);
  const result = await (backend.gpt ?? runGptFragmentWasm)(input, pace);
  return { ...result, computeMs: computeMs() };
}

/**
 * An inference fragment on this device: the classifier's forward pass over the shard's (normalised) rows,
 * in chunks of rows paced like training steps, encoded as lib/protocol's result records. The WASM
 * predictor is bit-identical to the referee's mlpLogits; WebGPU rounds differently (within the tolerance).
 */
export async function runInference(
  backend: ComputeBackend, input: { spec: MlpSpec; weights: Float32Array; shard: Shard; predictor?: Predictor }, opts: RunOptions = {},
): Promise<FragmentResult & { computeMs: number }> {
  const { spec, weights, shard } = input;
  const inputs = spec.layers[0]!;
  const classes = spec.layers.at(-1)!;
  const rows = shard.labels.length;
  // A predictor handed in (the runtime's, kept for the job's weights) stays its owner's to destroy.
  const predictor: Predictor = input.predictor ?? (await createPredictor(backend, spec, weights));
  try {
    const logits = new Float32Array(rows * classes);
    const { pace, computeMs } = pacer(opts, rows);
    await runInChunks(rows, async (from, n) => logits.set(await predictor.logits(shard.features.subarray(from * inputs, (from + n) * inputs), n), from * classes), pace);
    return { delta: encodeClassifications(logits, classes), meanLoss: 0, stepLosses: new Float32Array(0), computeMs: computeMs() };
  } finally {
    if (!input.predictor) predictor.destroy?.();
  }
}

/** The backend's classifier for these weights (WebAssembly when it has none of its own). */
export const createPredictor = (backend: ComputeBackend, spec: MlpSpec, weights: Float32Array): Promise<Predictor> =>
  (backend.predictor ?? ((m, w) => MlpWasmPredictor.create(m, w)))(spec, weights);

/** The WASM path's logits for continueGreedy: GptWasmTrainer's forward pass (bit-identical to gptForward) on the padded window. */
export async function wasmWindowLogits(spec: GptSpec, weights: Float32Array): Promise<WindowLogits> {
  const trainer = new GptWasmTrainer(await WasmKernels.create(), spec, 1);
  trainer.setWeights(weights);
  const tokens = new Uint32Array(spec.context + 1);
  return (window, length) => {
    tokens.set(window);
    return trainer.logitsOf(tokens, 0, 1).slice((length - 1) * spec.vocab, length * spec.vocab);
  };
}

/**
 * A language model's inference fragment: each prompt's greedy continuation (lib/protocol continueGreedy),
 * paced prompt by prompt like training steps. Always on WebAssembly, whatever the device: the tokens must
 * equal the referee's exactly, and the WASM forward pass is bit-identical to the CPU reference.
 */
export async function runGptInference(input: { spec: GptSpec; weights: Float32Array; shard: PromptShard; maxTokens: number }, opts: RunOptions = {}): Promise<FragmentResult & { computeMs: number }> {
  const { spec, weights, shard, maxTokens } = input;
  if (shard.context !== spec.context || shard.vocab > spec.vocab) throw new RangeError(`the prompt shard is for context ${shard.context} / vocabulary ${shard.vocab}, the model has ${spec.context} / ${spec.vocab}`);
  const logits = await wasmWindowLogits(spec, weights);
  const rows = shard.prompts.length;
  const continuations: number[][] = [];
  const { pace, computeMs } = pacer(opts, rows);
  await runInChunks(rows, (from, n) => {
    for (let r = from; r < from + n; r++) continuations.push(continueGreedy(shard.prompts[r]!, maxTokens, spec.context, logits));
  }, pace);
  return { delta: encodeContinuations(continuations, maxTokens), meanLoss: 0, stepLosses: new Float32Array(0), computeMs: computeMs() };
}
