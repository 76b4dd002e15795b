import { FragmentInput, FragmentResult, meanOf, validateFragment, weightDelta, type Shard } from "./fragment";
import {
  activationGradRef,
  biasActivationRef,
  columnSumRef,
  matmulRef,
  sgdUpdateRef,
  transposeRef,
} from "./kernels/matmul";
import { lossReduceRef, softmaxCrossEntropyRef } from "./kernels/softmax-ce";
import { layerSlices, type MlpSpec } from "./model";
import { batchIndices } from "./prng";

/**
 * The referee: the fragment computed in TypeScript with float32 rounding after every operation and the fixed
 * reduction order of `kernels/`. Slow and simple on purpose; the WASM path reproduces it bit for bit.
 * Per step: gather the batch, forward (matmul, bias + activation), softmax cross-entropy, mean loss, then
 * from the last layer down: input gradient with the layer's weights before their update, weight and bias
 * gradients, SGD update.
 */
export function runFragmentReference(input: FragmentInput): FragmentResult {
  validateFragment(input);
  const { spec, shard, steps, batch: b, lr, seed } = input;
  const layers = layerSlices(spec);
  const w = Float32Array.from(input.weights);
  const order = batchIndices(seed, shard.labels.length, steps, b);
  const acts = spec.layers.map((n) => new Float32Array(b * n));
  const grads = spec.layers.map((n) => new Float32Array(b * n));
  const labels = new Uint32Array(b);
  const rowLoss = new Float32Array(b);
  const stepLosses = new Float32Array(steps);
  const invB = Math.fround(1 / b);
  const classes = spec.layers[spec.layers.length - 1];
  for (let t = 0; t < steps; t++) {
    const idx = order.subarray(t * b, (t + 1) * b);
    gatherRows(shard, idx, spec.layers[0], acts[0], labels);
    forward(spec, w, acts, b);
    const last = layers.length;
    softmaxCrossEntropyRef(acts[last], labels, grads[last], rowLoss, b, classes, invB);
    stepLosses[t] = lossReduceRef(rowLoss, b, invB);
    for (let l = last - 1; l >= 0; l--) {
      const s = layers[l];
      const wl = w.subarray(s.offset, s.biasOffset);
      if (l > 0) {
        const wt = new Float32Array(s.inputs * s.outputs);
        transposeRef(wl, wt, s.inputs, s.outputs);
        matmulRef(grads[l + 1], wt, grads[l], b, s.outputs, s.inputs);
        activationGradRef(grads[l], acts[l], b * s.inputs, spec.activation);
      }
      const at = new Float32Array(s.inputs * b);
      transposeRef(acts[l], at, b, s.inputs);
      const g = new Float32Array((s.inputs + 1) * s.outputs);
      matmulRef(at, grads[l + 1], g, s.inputs, b, s.outputs);
      columnSumRef(grads[l + 1], g.subarray(s.inputs * s.outputs), b, s.outputs);
      sgdUpdateRef(w.subarray(s.offset, s.biasOffset + s.outputs), g, lr);
    }
  }
  return { delta: weightDelta(w, input.weights), meanLoss: meanOf(stepLosses), stepLosses };
}

export function gatherRows(shard: Shard, idx: Uint32Array, cols: number, out: Float32Array, labels: Uint32Array): void {
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    out.set(shard.features.subarray(r * cols, (r + 1) * cols), i * cols);
    labels[i] = shard.labels[r];
  }
}

/** acts[0] holds the input rows; fills acts[1..L] (the last without activation: the logits). */
function forward(spec: MlpSpec, w: Float32Array, acts: Float32Array[], rows: number): void {
  const layers = layerSlices(spec);
  layers.forEach((s, l) => {
    const out = acts[l + 1].subarray(0, rows * s.outputs);
    matmulRef(acts[l].subarray(0, rows * s.inputs), w.subarray(s.offset, s.biasOffset), out, rows, s.inputs, s.outputs);
    const act = l === layers.length - 1 ? "none" : spec.activation;
    biasActivationRef(out, w.subarray(s.biasOffset, s.biasOffset + s.outputs), rows, s.outputs, act);
  });
}

export type Evaluation = { loss: number; accuracy: number; count: number };

/** Mean cross-entropy and accuracy of `weights` on a data set, with the reference's forward pass. */
export function evaluate(spec: MlpSpec, weights: Float32Array, data: Shard): Evaluation {
  const n = data.labels.length;
  const classes = spec.layers[spec.layers.length - 1];
  const chunk = 256;
  const acts = spec.layers.map((k) => new Float32Array(chunk * k));
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < n; start += chunk) {
    const rows = Math.min(chunk, n - start);
    acts[0].set(data.features.subarray(start * spec.layers[0], (start + rows) * spec.layers[0]));
    forward(spec, weights, acts, rows);
    const z = acts[acts.length - 1];
    for (let i = 0; i < rows; i++) {
      let m = -Infinity;
      let arg = 0;
      for (let j = 0; j < classes; j++) if (z[i * classes + j] > m) [m, arg] = [z[i * classes + j], j];
      let s = 0;
      for (let j = 0; j < classes; j++) s += Math.exp(z[i * classes + j] - m);
      const y = data.labels[start + i];
      loss += Math.log(s) - (z[i * classes + y] - m);
      if (arg === y) correct++;
    }
  }
  return { loss: loss / n, accuracy: correct / n, count: n };
}
