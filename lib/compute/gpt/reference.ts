import { FragmentInputError, meanOf, weightDelta, type FragmentResult } from "../fragment";
import { adamwUpdateRef, clipScaleRef, scaleRef, WEIGHT_DECAY } from "../kernels/adamw";
import { attentionBackwardRef, attentionForwardRef } from "../kernels/attention";
import { embeddingBackwardRef, embeddingForwardRef } from "../kernels/embedding";
import { geluBackwardRef, geluForwardRef } from "../kernels/gelu";
import { layerNormBackwardRef, layerNormForwardRef } from "../kernels/layernorm";
import { biasActivationRef, columnSumRef, matmulRef, transposeRef } from "../kernels/matmul";
import { lossReduceRef, softmaxCrossEntropyRef } from "../kernels/softmax-ce";
import { batchIndices, MAX_SHARD_ROWS } from "../prng";
import { gptDecayMask, gptSlices, validateGptSpec, type GptLayout, type GptSlice, type GptSpec } from "./model";

const f = Math.fround;

/** Token ids: rows × (context + 1), row-major; a row is one window, inputs = its first T, targets its last T. */
export type GptTokens = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array;
export type GptShard = { tokens: GptTokens };

/**
 * One GPT fragment: from `weights`, K = `steps` AdamW steps (fresh moments, β1 0.9, β2 0.95, weight decay 0.1
 * on the matrices, gradient clipping at global norm 1) on mini-batches of B = `batch` windows of `shard` at
 * learning rate `lr`, batch order from `seed` (see `batchIndices`).
 */
export type GptFragmentInput = {
  spec: GptSpec;
  weights: Float32Array;
  shard: GptShard;
  steps: number;
  batch: number;
  lr: number;
  seed: number;
};

export const GPT_MAX_BATCH = 1024;

/** Checks shapes and ranges once, so every backend rejects the same bad input with the same message. */
export function validateGptFragment(input: GptFragmentInput): { rows: number; parameters: number } {
  const fail = (m: string): never => {
    throw new FragmentInputError(m);
  };
  let layout: GptLayout | undefined;
  try {
    layout = gptSlices(input.spec);
  } catch (e) {
    fail((e as Error).message);
  }
  const { spec, weights, shard, steps, batch, lr, seed } = input;
  const parameters = layout!.total;
  if (weights.length !== parameters) fail(`weights have ${weights.length} values, the model needs ${parameters}`);
  const width = spec.context + 1;
  const tokens = shard.tokens;
  if (tokens.length % width !== 0) fail(`a GPT shard holds rows of ${width} tokens, got ${tokens.length} values`);
  const rows = tokens.length / width;
  if (rows < 1 || rows > MAX_SHARD_ROWS) fail(`a shard needs 1 to ${MAX_SHARD_ROWS} rows, got ${rows}`);
  for (let i = 0; i < tokens.length; i++) {
    const y = tokens[i];
    if (!Number.isInteger(y) || y < 0 || y >= spec.vocab) fail(`token ${y} at position ${i} is not in [0, ${spec.vocab})`);
  }
  if (!Number.isInteger(steps) || steps < 1 || steps > 100_000) fail(`steps must be an integer in [1, 100000], got ${steps}`);
  if (!Number.isInteger(batch) || batch < 1 || batch > GPT_MAX_BATCH) fail(`batch must be an integer in [1, ${GPT_MAX_BATCH}], got ${batch}`);
  if (!Number.isFinite(lr) || lr <= 0) fail(`lr must be a positive number, got ${lr}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail(`seed must be a u32, got ${seed}`);
  return { rows, parameters };
}

const view = (w: Float32Array, s: GptSlice) => w.subarray(s.offset, s.offset + s.length);

/** The activations of one forward pass over B sequences of T positions (N = B·T rows), kept for the backward. */
type LayerCache = {
  ln1: Float32Array; // N×D
  ln1Mean: Float32Array;
  ln1Rstd: Float32Array;
  qkv: Float32Array; // N×3D
  probs: Float32Array; // B×H×T×T
  att: Float32Array; // N×D, attention output before the projection
  ln2: Float32Array;
  ln2Mean: Float32Array;
  ln2Rstd: Float32Array;
  fc: Float32Array; // N×4D, before GELU
  gelu: Float32Array; // N×4D
};

type Workspace = {
  b: number;
  t: number;
  n: number;
  inputs: Uint32Array; // N
  targets: Uint32Array; // N
  residual: Float32Array[]; // 2L + 1 streams of N×D: after the embedding, then after each attention and MLP
  layers: LayerCache[];
  lnf: Float32Array;
  lnfMean: Float32Array;
  lnfRstd: Float32Array;
  logits: Float32Array; // N×V
  wteT: Float32Array; // D×V
  branch: Float32Array; // N×D scratch: a branch's output before the residual add
};

function workspace(spec: GptSpec, b: number, t: number): Workspace {
  const { dim: d, heads: h, layers: l, vocab: v } = spec;
  const n = b * t;
  const a = (k: number) => new Float32Array(k);
  return {
    b,
    t,
    n,
    inputs: new Uint32Array(n),
    targets: new Uint32Array(n),
    residual: Array.from({ length: 2 * l + 1 }, () => a(n * d)),
    layers: Array.from({ length: l }, () => ({
      ln1: a(n * d),
      ln1Mean: a(n),
      ln1Rstd: a(n),
      qkv: a(n * 3 * d),
      probs: a(b * h * t * t),
      att: a(n * d),
      ln2: a(n * d),
      ln2Mean: a(n),
      ln2Rstd: a(n),
      fc: a(n * 4 * d),
      gelu: a(n * 4 * d),
    })),
    lnf: a(n * d),
    lnfMean: a(n),
    lnfRstd: a(n),
    logits: a(n * v),
    wteT: a(d * v),
    branch: a(n * d),
  };
}

/** y (rows×out) = x (rows×in) · W + b. */
function linear(w: Float32Array, wSlice: GptSlice, bSlice: GptSlice, x: Float32Array, y: Float32Array, rows: number): void {
  matmulRef(x, view(w, wSlice), y, rows, wSlice.rows, wSlice.cols);
  biasActivationRef(y, view(w, bSlice), rows, wSlice.cols, "none");
}

/** dst = a + b element-wise (the residual add). */
function addInto(dst: Float32Array, a: Float32Array, b: Float32Array): void {
  for (let i = 0; i < dst.length; i++) dst[i] = f(a[i] + b[i]);
}

/**
 * The forward pass of ws.inputs (B sequences of T ≤ context tokens) up to the logits (N×V), with the float32
 * reference kernels: embedding; per layer x ← x + proj(attn(qkv(ln1(x)))), x ← x + mlpProj(gelu(fc(ln2(x))));
 * final LN; logits = lnf(x) · wteᵀ. Each residual add is f(x + branch).
 */
function forward(spec: GptSpec, layout: GptLayout, w: Float32Array, ws: Workspace): void {
  const { dim: d, heads: h, vocab: v } = spec;
  const { b, t, n } = ws;
  embeddingForwardRef(ws.inputs, view(w, layout.wte), view(w, layout.wpe), ws.residual[0], b, t, d);
  layout.layers.forEach((s, l) => {
    const c = ws.layers[l];
    const x0 = ws.residual[2 * l];
    const x1 = ws.residual[2 * l + 1];
    const x2 = ws.residual[2 * l + 2];
    layerNormForwardRef(x0, view(w, s.ln1G), view(w, s.ln1B), c.ln1, c.ln1Mean, c.ln1Rstd, n, d);
    linear(w, s.qkvW, s.qkvB, c.ln1, c.qkv, n);
    attentionForwardRef(c.qkv, c.att, c.probs, b, t, d, h);
    linear(w, s.projW, s.projB, c.att, ws.branch, n);
    addInto(x1, x0, ws.branch);
    layerNormForwardRef(x1, view(w, s.ln2G), view(w, s.ln2B), c.ln2, c.ln2Mean, c.ln2Rstd, n, d);
    linear(w, s.fcW, s.fcB, c.ln2, c.fc, n);
    geluForwardRef(c.fc, c.gelu, n * 4 * d);
    linear(w, s.mlpProjW, s.mlpProjB, c.gelu, ws.branch, n);
    addInto(x2, x1, ws.branch);
  });
  const last = ws.residual[2 * spec.layers];
  layerNormForwardRef(last, view(w, layout.lnfG), view(w, layout.lnfB), ws.lnf, ws.lnfMean, ws.lnfRstd, n, d);
  transposeRef(view(w, layout.wte), ws.wteT, v, d);
  matmulRef(ws.lnf, ws.wteT, ws.logits, n, d, v);
}

/**
 * Backward of a linear layer y = x·W + b given dy: dW = xᵀ·dy and db = column sums of dy written into the
 * gradient (overwritten: each weight is used once per step), dx = dy·Wᵀ (when wanted).
 */
function linearBackward(
  w: Float32Array,
  grad: Float32Array,
  wSlice: GptSlice,
  bSlice: GptSlice,
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  rows: number,
): void {
  const [ni, no] = [wSlice.rows, wSlice.cols];
  const xt = new Float32Array(ni * rows);
  transposeRef(x, xt, rows, ni);
  matmulRef(xt, dy, view(grad, wSlice), ni, rows, no);
  columnSumRef(dy, view(grad, bSlice), rows, no);
  const wt = new Float32Array(no * ni);
  transposeRef(view(w, wSlice), wt, ni, no);
  matmulRef(dy, wt, dx, rows, no, ni);
}

/**
 * The gradient of the mean loss (already scaled by 1/N in dlogits) into `grad` (every element written).
 * From the top: tied head (dwte ← dlogitsᵀ·lnf, d lnf ← dlogits·wte), final LN, then per layer from the last:
 * MLP branch, dx ← f(dx + d ln2-input), attention branch, dx ← f(dx + d ln1-input); last the embedding,
 * which adds its rows into the head's dwte (rows p = 0…N−1 in order) and writes dwpe.
 */
function backward(spec: GptSpec, layout: GptLayout, w: Float32Array, ws: Workspace, dlogits: Float32Array, grad: Float32Array): void {
  const { dim: d, heads: h, vocab: v } = spec;
  const { b, t, n } = ws;
  grad.fill(0);
  const dlT = new Float32Array(v * n);
  transposeRef(dlogits, dlT, n, v);
  matmulRef(dlT, ws.lnf, view(grad, layout.wte), v, n, d);
  const dlnf = new Float32Array(n * d);
  matmulRef(dlogits, view(w, layout.wte), dlnf, n, v, d);
  const dx = new Float32Array(n * d);
  const dBranch = new Float32Array(n * d);
  const dHidden = new Float32Array(n * 4 * d);
  const dFc = new Float32Array(n * 4 * d);
  const dQkv = new Float32Array(n * 3 * d);
  const dAtt = new Float32Array(n * d);
  const dLn = new Float32Array(n * d);
  layerNormBackwardRef(dlnf, ws.residual[2 * spec.layers], ws.lnfMean, ws.lnfRstd, view(w, layout.lnfG), dx, view(grad, layout.lnfG), view(grad, layout.lnfB), n, d);
  for (let l = spec.layers - 1; l >= 0; l--) {
    const s = layout.layers[l];
    const c = ws.layers[l];
    // MLP branch: x2 = x1 + mlpProj(gelu(fc(ln2(x1)))).
    linearBackward(w, grad, s.mlpProjW, s.mlpProjB, c.gelu, dx, dHidden, n);
    geluBackwardRef(c.fc, dHidden, dFc, n * 4 * d);
    linearBackward(w, grad, s.fcW, s.fcB, c.ln2, dFc, dLn, n);
    layerNormBackwardRef(dLn, ws.residual[2 * l + 1], c.ln2Mean, c.ln2Rstd, view(w, s.ln2G), dBranch, view(grad, s.ln2G), view(grad, s.ln2B), n, d);
    addInto(dx, dx, dBranch);
    // Attention branch: x1 = x0 + proj(attn(qkv(ln1(x0)))).
    linearBackward(w, grad, s.projW, s.projB, c.att, dx, dAtt, n);
    attentionBackwardRef(dAtt, c.qkv, c.probs, dQkv, b, t, d, h);
    linearBackward(w, grad, s.qkvW, s.qkvB, c.ln1, dQkv, dLn, n);
    layerNormBackwardRef(dLn, ws.residual[2 * l], c.ln1Mean, c.ln1Rstd, view(w, s.ln1G), dBranch, view(grad, s.ln1G), view(grad, s.ln1B), n, d);
    addInto(dx, dx, dBranch);
  }
  embeddingBackwardRef(ws.inputs, dx, view(grad, layout.wte), view(grad, layout.wpe), b, t, d);
}

/** Copies windows `idx` of the token rows into inputs (first T) and targets (last T). */
function gatherWindows(tokens: GptTokens, width: number, idx: ArrayLike<number>, ws: Workspace): void {
  const t = ws.t;
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i] * width;
    for (let j = 0; j < t; j++) {
      ws.inputs[i * t + j] = tokens[r + j];
      ws.targets[i * t + j] = tokens[r + j + 1];
    }
  }
}

/** Forward + mean cross-entropy over the B·T targets (f32, rows in order); leaves dlogits (scaled by 1/N). */
function lossAndGradient(spec: GptSpec, layout: GptLayout, w: Float32Array, ws: Workspace, dlogits: Float32Array, rowLoss: Float32Array): number {
  forward(spec, layout, w, ws);
  const invN = f(1 / ws.n);
  softmaxCrossEntropyRef(ws.logits, ws.targets, dlogits, rowLoss, ws.n, spec.vocab, invN);
  return lossReduceRef(rowLoss, ws.n, invN);
}

/**
 * The referee of a GPT fragment: float32 rounding after every operation and the fixed reduction orders of
 * kernels/. Per step t = 1…K: gather the batch (windows batchIndices(seed, rows, K, B)), forward, mean loss,
 * backward, clip the gradient to global norm 1, AdamW (moments start at 0 for every fragment).
 */
export function runGptFragmentReference(input: GptFragmentInput): FragmentResult {
  const { parameters, rows } = validateGptFragment(input);
  const { spec, shard, steps, batch, lr, seed } = input;
  const layout = gptSlices(spec);
  const decay = gptDecayMask(spec);
  const w = Float32Array.from(input.weights);
  const grad = new Float32Array(parameters);
  const m = new Float32Array(parameters);
  const v = new Float32Array(parameters);
  const ws = workspace(spec, batch, spec.context);
  const dlogits = new Float32Array(ws.n * spec.vocab);
  const rowLoss = new Float32Array(ws.n);
  const order = batchIndices(seed, rows, steps, batch);
  const stepLosses = new Float32Array(steps);
  for (let k = 0; k < steps; k++) {
    gatherWindows(shard.tokens, spec.context + 1, order.subarray(k * batch, (k + 1) * batch), ws);
    stepLosses[k] = lossAndGradient(spec, layout, w, ws, dlogits, rowLoss);
    backward(spec, layout, w, ws, dlogits, grad);
    scaleRef(grad, clipScaleRef(grad));
    adamwUpdateRef(w, grad, m, v, decay, k + 1, lr, WEIGHT_DECAY, parameters);
  }
  return { delta: weightDelta(w, input.weights), meanLoss: meanOf(stepLosses), stepLosses };
}

function rowsOf(spec: GptSpec, tokens: GptTokens): number {
  const width = spec.context + 1;
  if (tokens.length % width !== 0) throw new RangeError(`GPT rows hold ${width} tokens, got ${tokens.length} values`);
  return tokens.length / width;
}

/**
 * The mean loss (float32, as a training step computes it) and its gradient w.r.t. every weight, before
 * clipping, on all windows of `tokens` (rows × (context + 1)) as one batch. For tests and gradient checks.
 */
export function gptLossAndGradient(spec: GptSpec, weights: Float32Array, tokens: GptTokens): { loss: number; grad: Float32Array } {
  const layout = gptSlices(spec);
  const rows = rowsOf(spec, tokens);
  const ws = workspace(spec, rows, spec.context);
  gatherWindows(tokens, spec.context + 1, Array.from({ length: rows }, (_, i) => i), ws);
  const dlogits = new Float32Array(ws.n * spec.vocab);
  const loss = lossAndGradient(spec, layout, weights, ws, dlogits, new Float32Array(ws.n));
  const grad = new Float32Array(layout.total);
  backward(spec, layout, weights, ws, dlogits, grad);
  return { loss, grad };
}

/** Forward only: the mean loss (float32, as a training step computes it) on all windows of `tokens`. */
export function gptLoss(spec: GptSpec, weights: Float32Array, tokens: GptTokens): number {
  const layout = gptSlices(spec);
  const rows = rowsOf(spec, tokens);
  const ws = workspace(spec, rows, spec.context);
  gatherWindows(tokens, spec.context + 1, Array.from({ length: rows }, (_, i) => i), ws);
  const rowLoss = new Float32Array(ws.n);
  return lossAndGradient(spec, layout, weights, ws, new Float32Array(ws.n * spec.vocab), rowLoss);
}

/**
 * The logits (B·T × V) of B sequences of T ≤ context input tokens (`inputs`, B·T ids row-major): row b·T + i
 * predicts the token after position i of sequence b.
 */
export function gptForward(spec: GptSpec, weights: Float32Array, inputs: ArrayLike<number>, b: number, t: number): Float32Array {
  const layout = gptSlices(spec);
  if (!Number.isInteger(t) || t < 1 || t > spec.context) throw new RangeError(`sequence length must be in [1, ${spec.context}], got ${t}`);
  if (inputs.length !== b * t) throw new RangeError(`expected ${b}×${t} tokens, got ${inputs.length}`);
  if (weights.length !== layout.total) throw new RangeError(`weights have ${weights.length} values, the model needs ${layout.total}`);
  const ws = workspace(spec, b, t);
  for (let i = 0; i < b * t; i++) {
    const tok = inputs[i];
    if (!Number.isInteger(tok) || tok < 0 || tok >= spec.vocab) throw new RangeError(`token ${tok} is not in [0, ${spec.vocab})`);
    ws.inputs[i] = tok;
  }
  forward(spec, layout, weights, ws);
  return ws.logits;
}

export type GptEvaluation = { loss: number; count: number };

/**
 * Mean next-token cross-entropy in nats per predicted token over every window of `tokens` (rows × (context+1)),
 * with the reference forward pass; the loss of each row is computed and summed in float64. count = predicted
 * tokens (rows · context).
 */
export function evaluateGpt(spec: GptSpec, weights: Float32Array, tokens: GptTokens): GptEvaluation {
  validateGptSpec(spec);
  const rows = rowsOf(spec, tokens);
  const width = spec.context + 1;
  const chunk = 32;
  let loss = 0;
  for (let start = 0; start < rows; start += chunk) {
    const b = Math.min(chunk, rows - start);
    const inputs = new Uint32Array(b * spec.context);
    for (let i = 0; i < b; i++) for (let j = 0; j < spec.context; j++) inputs[i * spec.context + j] = tokens[(start + i) * width + j];
    loss = addWindowLosses(spec, gptForward(spec, weights, inputs, b, spec.context), tokens, start, b, loss);
  }
  const count = rows * spec.context;
  return { loss: loss / count, count };
}

/**
 * Adds to `loss` (float64) the cross-entropy of every position of windows start…start+b−1 from their logits
 * (b·context × V, float32), in row and position order — shared by evaluateGpt and its WASM twin so both sum
 * the same numbers in the same order.
 */
export function addWindowLosses(spec: GptSpec, z: Float32Array, tokens: GptTokens, start: number, b: number, loss: number): number {
  const { context: t, vocab: v } = spec;
  const width = t + 1;
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < t; j++) {
      const base = (i * t + j) * v;
      let m = -Infinity;
      for (let c = 0; c < v; c++) m = Math.max(m, z[base + c]);
      let s = 0;
      for (let c = 0; c < v; c++) s += Math.exp(z[base + c] - m);
      const y = tokens[(start + i) * width + j + 1];
      loss += Math.log(s) - (z[base + y] - m);
    }
  }
  return loss;
}
