// The GPT part of `npm run bench:kernels`' page: one full training step (forward, backward, global-norm clip,
// AdamW) of a GPT on our WebGPU and WASM paths and on TensorFlow.js (webgpu and wasm backends, the model of
// kernels-gpt-tfjs.ts), from the same weights on the same batch, timed like the MLP step.
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { batchIndices, compareWeights, getGpu, GptWasmTrainer, GptWebGpuTrainer, gptStepFlops, initGptWeights, WasmKernels, WEIGHT_DECAY, type GptSpec } from "@/lib/compute";
import { tfjsGpt } from "./kernels-gpt-tfjs";
import { time, type Timing } from "./kernels-timing";

/** `tokens`: the shard, rows × (context + 1) ids; every step trains on all its B rows (in a seeded order). */
export type GptBenchCase = { spec: GptSpec; batch: number; tokens: number[]; lr: number; minSeconds: number };
export type GptBenchResult = {
  flopsPerStep: number;
  parameters: number;
  oursWebgpu: Timing | null;
  oursWasm: Timing;
  tfjsWebgpu: Timing | null;
  tfjsWasm: Timing;
  /** The first step's mean loss (at the initial weights) on each side: [ours wasm, tfjs wasm, ours webgpu, tfjs webgpu]. */
  losses: (number | null)[];
  /**
   * Relative L2 distance of tfjs's weights from ours after one and after two steps from the same weights
   * and batch ([one, two]), per backend. (Our second step sums the same rows in another order.)
   */
  sameStepWasm: number[];
  sameStepWebgpu: number[] | null;
  tfjsWasmSimd: boolean;
  tfjsWasmThreads: number;
};

/** The timing, and the first step's loss and the weights after one and after two steps (the same-step check). */
type Measured = { timing: Timing; loss: number; after: Float32Array[] };

async function oursWebgpu(c: GptBenchCase, weights: Float32Array, tokens: Uint32Array, orderFor: (n: number) => Uint32Array, flops: number): Promise<Measured | null> {
  const gpu = await getGpu();
  if (!gpu) return null;
  const trainer = new GptWebGpuTrainer(gpu, c.spec, c.batch);
  trainer.setShard(tokens);
  trainer.setWeights(weights);
  const [loss] = await trainer.run(orderFor(1), c.lr, WEIGHT_DECAY);
  const after = [await trainer.weights()];
  trainer.setWeights(weights);
  await trainer.run(orderFor(2), c.lr, WEIGHT_DECAY);
  after.push(await trainer.weights());
  const timing = await time(flops, c.minSeconds, async (n) => {
    await trainer.run(orderFor(n), c.lr, WEIGHT_DECAY);
  });
  trainer.destroy();
  return { timing, loss, after };
}

async function oursWasm(c: GptBenchCase, weights: Float32Array, tokens: Uint32Array, orderFor: (n: number) => Uint32Array, flops: number): Promise<Measured> {
  const trainer = new GptWasmTrainer(await WasmKernels.create(), c.spec, c.batch);
  trainer.setShard(tokens);
  trainer.setWeights(weights);
  const [loss] = trainer.run(orderFor(1), c.lr);
  const after = [trainer.weights()];
  trainer.setWeights(weights);
  trainer.run(orderFor(2), c.lr);
  after.push(trainer.weights());
  const timing = await time(flops, c.minSeconds, async (n) => {
    trainer.run(orderFor(n), c.lr);
  });
  return { timing, loss, after };
}

/** tfjs on `backend`, on the B windows of `batch` (the shard's rows in our first step's order). */
async function tfjs(backend: "webgpu" | "wasm", c: GptBenchCase, weights: Float32Array, batch: Uint32Array, flops: number): Promise<Measured | null> {
  if (!(await tf.setBackend(backend))) return null;
  await tf.ready();
  const model = tfjsGpt(c.spec, weights, batch, c.batch, c.lr);
  const loss = await model.loss();
  const after: Float32Array[] = [];
  for (let k = 0; k < 2; k++) {
    model.step();
    after.push(await model.weights());
  }
  const timing = await time(flops, c.minSeconds, async (n) => {
    for (let i = 0; i < n; i++) model.step();
    await model.sync();
  });
  model.dispose();
  return { timing, loss, after };
}

const sameStep = (theirs: Measured, ours: Measured) => theirs.after.map((w, k) => compareWeights(w, ours.after[k]).relativeL2);

export async function runGptCase(c: GptBenchCase): Promise<GptBenchResult> {
  const { spec, batch: b } = c;
  const width = spec.context + 1;
  const tokens = Uint32Array.from(c.tokens);
  const rows = tokens.length / width;
  const flops = gptStepFlops(spec, b);
  const weights = initGptWeights(spec, 1);
  const orderFor = (n: number) => batchIndices(3, rows, n, b);
  const first = orderFor(1);
  const batch = new Uint32Array(b * width);
  first.forEach((r, i) => batch.set(tokens.subarray(r * width, (r + 1) * width), i * width));

  const gpu = await oursWebgpu(c, weights, tokens, orderFor, flops);
  const wasm = await oursWasm(c, weights, tokens, orderFor, flops);
  const tfGpu = gpu ? await tfjs("webgpu", c, weights, batch, flops) : null;
  const tfWasm = await tfjs("wasm", c, weights, batch, flops);
  if (!tfWasm) throw new Error("tfjs wasm backend failed to start");
  return {
    flopsPerStep: flops,
    parameters: weights.length,
    oursWebgpu: gpu?.timing ?? null,
    oursWasm: wasm.timing,
    tfjsWebgpu: tfGpu?.timing ?? null,
    tfjsWasm: tfWasm.timing,
    losses: [wasm.loss, tfWasm.loss, gpu?.loss ?? null, tfGpu?.loss ?? null],
    sameStepWasm: sameStep(tfWasm, wasm),
    sameStepWebgpu: gpu && tfGpu ? sameStep(tfGpu, gpu) : null,
    tfjsWasmSimd: Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")),
    tfjsWasmThreads: (await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) ? getThreadsCount() : 1,
  };
}
