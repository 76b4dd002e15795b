import { hash32 } from "./prng";

export type Activation = "relu" | "tanh";

/** An MLP classifier: `layers` = [inputs, hidden…, classes]; hidden layers use `activation`, the last is linear + softmax. */
export type MlpSpec = { layers: readonly number[]; activation: Activation };

export type LayerSlice = { inputs: number; outputs: number; offset: number; biasOffset: number };

/**
 * Flat float32 weight layout. Layer l (inputs n_l, outputs n_{l+1}) occupies (n_l + 1) × n_{l+1} consecutive
 * floats, row-major with one row per input: W_l[k][j] at offset + k·n_{l+1} + j, and its bias as the extra
 * last row k = n_l (biasOffset = offset + n_l·n_{l+1}). Layers follow one another from layer 0. Treating the
 * bias as the weight of a constant-1 input lets the kernels handle weights and bias with one matmul.
 */
export function layerSlices(spec: MlpSpec): LayerSlice[] {
  validateSpec(spec);
  const slices: LayerSlice[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < spec.layers.length; l++) {
    const inputs = spec.layers[l];
    const outputs = spec.layers[l + 1];
    slices.push({ inputs, outputs, offset, biasOffset: offset + inputs * outputs });
    offset += (inputs + 1) * outputs;
  }
  return slices;
}

export function parameterCount(spec: MlpSpec): number {
  return layerSlices(spec).reduce((n, s) => n + (s.inputs + 1) * s.outputs, 0);
}

export function validateSpec(spec: MlpSpec): void {
  if (spec.layers.length < 2) throw new RangeError("an MLP needs at least an input and an output layer");
  for (const n of spec.layers) {
    if (!Number.isInteger(n) || n < 1 || n > 65536) throw new RangeError(`layer sizes must be integers in [1, 65536], got ${n}`);
  }
  if (spec.layers[spec.layers.length - 1] < 2) throw new RangeError("a classifier needs at least 2 classes");
  if (spec.activation !== "relu" && spec.activation !== "tanh") throw new RangeError(`unknown activation ${String(spec.activation)}`);
}

/**
 * Deterministic initial weights: W ~ U(−a, a) with a = √(6 / n_in) for relu (He) and √(6 / (n_in + n_out))
 * for tanh (Glorot); biases 0. Weight i of layer l draws hash32(seed, l, i).
 */
export function initWeights(spec: MlpSpec, seed: number): Float32Array {
  const w = new Float32Array(parameterCount(spec));
  layerSlices(spec).forEach((s, l) => {
    const a = spec.activation === "relu" ? Math.sqrt(6 / s.inputs) : Math.sqrt(6 / (s.inputs + s.outputs));
    for (let i = 0; i < s.inputs * s.outputs; i++) {
      w[s.offset + i] = ((hash32(seed >>> 0, l, i) / 4294967296) * 2 - 1) * a;
    }
  });
  return w;
}

/**
 * Floating-point operations of one SGD step at batch B, counting every multiply, add, compare, exp, log
 * and tanh as one. Per layer (n_in → n_out): forward 2·B·n_in·n_out (matmul) + B·n_out (bias) + B·n_out
 * (activation, hidden layers only); weight gradient 2·B·n_in·n_out + B·n_out (bias gradient); input
 * gradient 2·B·n_in·n_out + B·n_in (activation derivative), not for layer 0; update 2·(n_in + 1)·n_out.
 * Softmax cross-entropy on C classes: 6·B·C (max, subtract, exp, sum, divide, gradient) + 2·B (log, loss)
 * and B for the mean loss. The same number for every device: these are the work units.
 */
export function stepFlops(spec: MlpSpec, batch: number): number {
  const slices = layerSlices(spec);
  let f = 0;
  slices.forEach((s, l) => {
    const mm = 2 * batch * s.inputs * s.outputs;
    const hidden = l < slices.length - 1;
    f += mm + batch * s.outputs + (hidden ? batch * s.outputs : 0);
    f += mm + batch * s.outputs;
    if (l > 0) f += mm + batch * s.inputs;
    f += 2 * (s.inputs + 1) * s.outputs;
  });
  const classes = spec.layers[spec.layers.length - 1];
  return f + 6 * batch * classes + 3 * batch;
}

/**
 * Floating-point operations of classifying `rows` rows (an inference fragment's work units): the forward
 * pass as stepFlops counts it — per layer 2·rows·n_in·n_out (matmul) + rows·n_out (bias) + rows·n_out
 * (activation, hidden layers only) — then 4·rows·C for the output (max, exp, sum, divide; the argmax
 * rides on the max). No gradient, no update.
 */
export function forwardFlops(spec: MlpSpec, rows: number): number {
  const slices = layerSlices(spec);
  let f = 0;
  slices.forEach((s, l) => {
    f += 2 * rows * s.inputs * s.outputs + rows * s.outputs + (l < slices.length - 1 ? rows * s.outputs : 0);
  });
  return f + 4 * rows * spec.layers[spec.layers.length - 1]!;
}

/** Work units of a fragment: K steps at batch B. */
export function fragmentFlops(spec: MlpSpec, steps: number, batch: number): number {
  return steps * stepFlops(spec, batch);
}
