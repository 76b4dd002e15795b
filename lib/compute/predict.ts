// Inference with a trained MLP: the forward pass alone (no loss, no gradient), for the model registry's
// "Try it" panel. Three backends with one shape: the referee's TypeScript, WebAssembly SIMD (bit-identical
// to it, like the trainers) and WebGPU (webgpu/predict.ts; rounding differences only).
import { biasActivationRef, matmulRef } from "./kernels/matmul";
import { layerSlices, parameterCount, type MlpSpec } from "./model";
import { WasmKernels } from "./wasm";

function checkInputs(spec: MlpSpec, weights: Float32Array, features: Float32Array, rows: number): void {
  const n = parameterCount(spec);
  if (weights.length !== n) throw new RangeError(`weights have ${weights.length} values, the model needs ${n}`);
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows must be a positive integer, got ${rows}`);
  if (features.length !== rows * spec.layers[0]) throw new RangeError(`expected ${rows}×${spec.layers[0]} features, got ${features.length}`);
}

/**
 * The logits (rows × classes, row-major) of `rows` already-normalised input rows: the referee's forward pass
 * (matmul, then bias and the hidden activation; the last layer linear).
 */
export function mlpLogits(spec: MlpSpec, weights: Float32Array, features: Float32Array, rows: number): Float32Array {
  checkInputs(spec, weights, features, rows);
  let a = features;
  for (const [l, s] of layerSlices(spec).entries()) {
    const out = new Float32Array(rows * s.outputs);
    matmulRef(a, weights.subarray(s.offset, s.biasOffset), out, rows, s.inputs, s.outputs);
    biasActivationRef(out, weights.subarray(s.biasOffset, s.biasOffset + s.outputs), rows, s.outputs, l === spec.layers.length - 2 ? "none" : spec.activation);
    a = out;
  }
  return a;
}

const ACT = { none: 0, relu: 1, tanh: 2 } as const;

/** The MLP's forward pass on the WASM kernels (bit-identical to mlpLogits); the weights are copied in once. */
export class MlpWasmPredictor {
  private constructor(
    private readonly kernels: WasmKernels,
    readonly spec: MlpSpec,
    private readonly weights: Float32Array,
  ) {}

  static async create(spec: MlpSpec, weights: Float32Array): Promise<MlpWasmPredictor> {
    checkInputs(spec, weights, new Float32Array(spec.layers[0]), 1);
    return new MlpWasmPredictor(await WasmKernels.create(), spec, weights);
  }

  logits(features: Float32Array, rows: number): Float32Array {
    checkInputs(this.spec, this.weights, features, rows);
    const { kernels, spec } = this;
    // A fresh arena per call: inference is rare and small next to training, so nothing is kept between calls.
    kernels.reset();
    const w = kernels.alloc(this.weights.length * 4);
    const acts = spec.layers.map((n) => kernels.alloc(rows * n * 4));
    kernels.f32(w, this.weights.length).set(this.weights);
    kernels.f32(acts[0]!, features.length).set(features);
    const layers = layerSlices(spec);
    layers.forEach((s, l) => {
      kernels.k.matmul(acts[l]!, w + s.offset * 4, acts[l + 1]!, rows, s.inputs, s.outputs);
      kernels.k.biasActivation(acts[l + 1]!, w + s.biasOffset * 4, rows, s.outputs, l === layers.length - 1 ? ACT.none : ACT[spec.activation]);
    });
    const classes = spec.layers[spec.layers.length - 1]!;
    return kernels.f32(acts[layers.length]!, rows * classes).slice();
  }
}

/** Softmax of each row of `logits` (rows × classes) in float64: the class probabilities. */
export function softmaxRows(logits: Float32Array, classes: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let r = 0; r * classes < logits.length; r++) {
    const z = logits.subarray(r * classes, (r + 1) * classes);
    let m = -Infinity;
    for (const v of z) m = Math.max(m, v);
    let total = 0;
    for (let j = 0; j < classes; j++) total += out[r * classes + j] = Math.exp(z[j]! - m);
    for (let j = 0; j < classes; j++) out[r * classes + j] /= total;
  }
  return out;
}
