// Browser side of `npm run bench:kernels`: one SGD step of an MLP on our WebGPU and WASM paths and on
// TensorFlow.js 4.22 (webgpu and wasm backends) in the same page, same shapes, same FLOP formula.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { compareWeights, getGpu, initWeights, layerSlices, stepFlops, WasmKernels, WasmTrainer, WebGpuTrainer, type MlpSpec } from "@/lib/compute";
import { toyShard } from "@/lib/compute";
import { batchIndices } from "@/lib/compute";
import { runGptCase } from "./kernels-gpt-page";
import { time, type Timing } from "./kernels-timing";

export type { Timing } from "./kernels-timing";
export type { GptBenchCase, GptBenchResult } from "./kernels-gpt-page";

setWasmPaths("/tfjs/");
// tfjs-wasm defaults to half the cores; its fastest setting on a cross-origin-isolated page is all of them.
if (globalThis.crossOriginIsolated) setThreadsCount(navigator.hardwareConcurrency);

export type BenchCase = { layers: number[]; batch: number; minSeconds: number };
export type BenchResult = {
  name: string;
  flopsPerStep: number;
  oursWebgpu: Timing | null;
  oursWasm: Timing;
  tfjsWebgpu: Timing | null;
  tfjsWasm: Timing;
  tfjsWasmSimd: boolean;
  tfjsWasmThreads: number;
  /** Relative L2 distance of tfjs-wasm's weights from ours after one step from the same weights and batch. */
  sameStep: number;
};

const LR = 0.01;

async function tfjsTiming(backend: "webgpu" | "wasm", spec: MlpSpec, batch: number, weights: Float32Array, x: Float32Array, labels: Uint32Array, flops: number, minSeconds: number) {
  if (!(await tf.setBackend(backend))) return null;
  await tf.ready();
  const layers = layerSlices(spec);
  const vars = layers.flatMap((s) => [
    tf.variable(tf.tensor2d(weights.slice(s.offset, s.biasOffset), [s.inputs, s.outputs])),
    tf.variable(tf.tensor1d(weights.slice(s.biasOffset, s.biasOffset + s.outputs))),
  ]);
  const xs = tf.tensor2d(x, [batch, spec.layers[0]]);
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from(labels), "int32"), spec.layers[spec.layers.length - 1]);
  const opt = tf.train.sgd(LR);
  const step = () =>
    opt.minimize(
      () => {
        let h: tf.Tensor2D = xs;
        layers.forEach((_, l) => {
          h = tf.add(tf.matMul(h, vars[2 * l] as tf.Variable<tf.Rank.R2>), vars[2 * l + 1]);
          if (l < layers.length - 1) h = spec.activation === "relu" ? tf.relu(h) : tf.tanh(h);
        });
        return tf.losses.softmaxCrossEntropy(ys, h) as tf.Scalar;
      },
      false,
      vars,
    );
  step();
  // Weights after one step in our flat layout: the check that both sides compute the same thing.
  const afterOne = new Float32Array(weights.length);
  for (const [l, s] of layers.entries()) {
    afterOne.set(await vars[2 * l].data(), s.offset);
    afterOne.set(await vars[2 * l + 1].data(), s.biasOffset);
  }
  const timing = await time(flops, minSeconds, async (n) => {
    for (let i = 0; i < n; i++) step();
    await vars[0].data();
  });
  tf.dispose([...vars, xs, ys]);
  opt.dispose();
  return { ...timing, afterOne };
}

async function runCase(c: BenchCase): Promise<BenchResult> {
  const spec: MlpSpec = { layers: c.layers, activation: "relu" };
  const b = c.batch;
  const flops = stepFlops(spec, b);
  const weights = initWeights(spec, 1);
  const shard = toyShard(b, spec.layers[0], spec.layers[spec.layers.length - 1], 2);
  // Every step uses the shard's B rows once (the same batch tfjs sees), in a seeded order.
  const orderFor = (n: number) => batchIndices(3, b, n, b);

  const gpu = await getGpu();
  let oursWebgpu: Timing | null = null;
  if (gpu) {
    const trainer = new WebGpuTrainer(gpu, spec, b);
    trainer.setShard(shard);
    trainer.setWeights(weights);
    oursWebgpu = await time(flops, c.minSeconds, async (n) => {
      await trainer.run(orderFor(n), LR);
    });
    trainer.destroy();
  }
  const wasm = new WasmTrainer(await WasmKernels.create(), spec, b);
  wasm.setShard(shard);
  wasm.setWeights(weights);
  wasm.run(orderFor(1), LR);
  const oursAfterOne = wasm.weights();
  const oursWasm = await time(flops, c.minSeconds, async (n) => {
    wasm.run(orderFor(n), LR);
  });

  const tfjsWebgpu = gpu ? await tfjsTiming("webgpu", spec, b, weights, shard.features, Uint32Array.from(shard.labels), flops, c.minSeconds) : null;
  const tfjsWasm = await tfjsTiming("wasm", spec, b, weights, shard.features, Uint32Array.from(shard.labels), flops, c.minSeconds);
  if (!tfjsWasm) throw new Error("tfjs wasm backend failed to start");
  const tfjsWasmSimd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
  const tfjsWasmThreads = (await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) ? getThreadsCount() : 1;
  const sameStep = compareWeights(tfjsWasm.afterOne, oursAfterOne).relativeL2;
  const strip = (t: (Timing & { afterOne: Float32Array }) | null): Timing | null => t && { msPerStep: t.msPerStep, gflops: t.gflops, steps: t.steps };
  return { name: `${c.layers.join("-")} B=${b}`, flopsPerStep: flops, oursWebgpu, oursWasm, tfjsWebgpu: strip(tfjsWebgpu), tfjsWasm: strip(tfjsWasm)!, tfjsWasmSimd, tfjsWasmThreads, sameStep };
}

async function adapter() {
  return (await getGpu())?.adapter ?? null;
}

(globalThis as unknown as { kernelsBench: unknown }).kernelsBench = { runCase, runGptCase, adapter };
