// The tfjs baseline of `npm run bench:kernels`' GPT step: the same pre-LN GPT-2 model and the same step as
// lib/compute/gpt/reference.ts (forward, mean cross-entropy, backward, global-norm clip at 1, AdamW with
// β1 0.9, β2 0.95, eps 1e-8 and weight decay 0.1 on the matrices only), written with plain tf ops, its
// gradients from tf.variableGrads. One tf.Variable per slice of our flat layout, so weights go in and come
// out in our order. The embedding is oneHot · wte (tfjs-wasm has no UnsortedSegmentSum, gather's gradient).
import * as tf from "@tensorflow/tfjs";
import {
  ADAM_BETA1,
  ADAM_BETA2,
  ADAM_EPS,
  adamBiasCorrections,
  attentionScale,
  CLIP_EPS,
  CLIP_MAX_NORM,
  GELU_C,
  GELU_K,
  gptDecayMask,
  gptSlices,
  LAYER_NORM_EPS,
  WEIGHT_DECAY,
  type GptLayout,
  type GptSlice,
  type GptSpec,
} from "@/lib/compute";

export type TfjsGpt = {
  /** One training step (step numbers count from 1 for the bias corrections); queues the work, no read-back. */
  step(): void;
  /** The mean loss of the batch at the current weights (the forward alone). */
  loss(): Promise<number>;
  /** Resolves once every queued step has run (reads the last variable each step writes). */
  sync(): Promise<void>;
  /** The weights in our flat layout (waits for every queued step). */
  weights(): Promise<Float32Array>;
  dispose(): void;
};

type Model = { spec: GptSpec; layout: GptLayout; vars: Map<GptSlice, tf.Variable>; b: number; mask: tf.Tensor2D };

function layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, LAYER_NORM_EPS))), g), b);
}

/** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the tanh form our kernels use. */
function gelu(x: tf.Tensor2D): tf.Tensor2D {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), GELU_K)), GELU_C);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

function linear(m: Model, x: tf.Tensor2D, w: GptSlice, b: GptSlice): tf.Tensor2D {
  return tf.add(tf.matMul(x, m.vars.get(w)!), m.vars.get(b)!);
}

/** Causal multi-head attention of q|k|v (N×3D, head h = columns h·hd… of each) → N×D. */
function attention(m: Model, qkv: tf.Tensor2D): tf.Tensor2D {
  const { dim: d, heads: h, context: t } = m.spec;
  const heads = (x: tf.Tensor) => tf.transpose(tf.reshape(x, [m.b, t, h, d / h]), [0, 2, 1, 3]);
  const [q, k, v] = tf.split(qkv, 3, 1).map(heads);
  const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), attentionScale(d, h)), m.mask);
  const out = tf.matMul(tf.softmax(scores), v);
  return tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [m.b * t, d]);
}

/** Mean cross-entropy of the next-token predictions of `inputs` (one-hot, N×V) against `targets` (one-hot). */
function loss(m: Model, inputs: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  const { dim: d, context: t } = m.spec;
  const { layout, vars: W } = m;
  const n = m.b * t;
  const tok = tf.matMul(inputs, W.get(layout.wte)!);
  let x = tf.reshape(tf.add(tf.reshape(tok, [m.b, t, d]), W.get(layout.wpe)!), [n, d]) as tf.Tensor2D;
  for (const s of layout.layers) {
    const a = linear(m, attention(m, linear(m, layerNorm(x, W.get(s.ln1G)!, W.get(s.ln1B)!), s.qkvW, s.qkvB)), s.projW, s.projB);
    x = tf.add(x, a);
    const h = gelu(linear(m, layerNorm(x, W.get(s.ln2G)!, W.get(s.ln2B)!), s.fcW, s.fcB));
    x = tf.add(x, linear(m, h, s.mlpProjW, s.mlpProjB));
  }
  const logits = tf.matMul(layerNorm(x, W.get(layout.lnfG)!, W.get(layout.lnfB)!), W.get(layout.wte)!, false, true);
  return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
}

/** AdamW's moments and the decay mask (1 = a decayed matrix), flat in our layout order. */
type Optimizer = { m: tf.Variable; v: tf.Variable; decay: tf.Tensor1D };

/**
 * Global-norm clipping (scale 1 / (‖g‖ + 1e-6) above norm 1), then AdamW, on all parameters as one flat
 * vector: a handful of ops per step where one set per variable would be ~400 (tfjs-webgpu's cost is per op).
 */
function adamw(m: Model, grads: tf.NamedTensorMap, opt: Optimizer, step: number, lr: number): void {
  const vars = m.layout.all.map((s) => m.vars.get(s)!);
  const g0 = tf.concat(vars.map((w) => tf.reshape(grads[w.name], [-1])));
  const w = tf.concat(vars.map((x) => tf.reshape(x, [-1])));
  const norm = tf.sqrt(tf.sum(tf.square(g0)));
  const scale = tf.where(tf.greater(norm, CLIP_MAX_NORM), tf.reciprocal(tf.add(norm, CLIP_EPS)), tf.onesLike(norm));
  const { bc1, bc2 } = adamBiasCorrections(step);
  const g = tf.mul(g0, scale);
  const mi = tf.add(tf.mul(opt.m, ADAM_BETA1), tf.mul(g, Math.fround(1 - ADAM_BETA1)));
  const vi = tf.add(tf.mul(opt.v, ADAM_BETA2), tf.mul(tf.square(g), Math.fround(1 - ADAM_BETA2)));
  const upd = tf.add(tf.div(tf.div(mi, bc1), tf.add(tf.sqrt(tf.div(vi, bc2)), ADAM_EPS)), tf.mul(tf.mul(w, WEIGHT_DECAY), opt.decay));
  opt.m.assign(mi);
  opt.v.assign(vi);
  const next = tf.split(tf.sub(w, tf.mul(upd, lr)), m.layout.all.map((s) => s.length));
  vars.forEach((x, i) => x.assign(tf.reshape(next[i], x.shape)));
}

/**
 * The model on the current tfjs backend, from `weights` (our flat layout), training on one fixed batch:
 * `tokens` holds B windows of context + 1 ids (inputs = the first T, targets = the last T).
 */
export function tfjsGpt(spec: GptSpec, weights: Float32Array, tokens: Uint32Array, b: number, lr: number): TfjsGpt {
  const layout = gptSlices(spec);
  const { context: t, vocab: v } = spec;
  const tensor = (s: GptSlice) => tf.tensor(weights.slice(s.offset, s.offset + s.length), s.rows === 1 && !s.decay ? [s.cols] : [s.rows, s.cols]);
  const vars = new Map(layout.all.map((s) => [s, tf.variable(tensor(s))]));
  const opt: Optimizer = { m: tf.variable(tf.zeros([layout.total])), v: tf.variable(tf.zeros([layout.total])), decay: tf.tensor1d(Float32Array.from(gptDecayMask(spec))) };
  const ids = (from: number) => Int32Array.from({ length: b * t }, (_, p) => tokens[Math.floor(p / t) * (t + 1) + (p % t) + from]);
  const inputs = tf.oneHot(tf.tensor1d(ids(0), "int32"), v).toFloat() as tf.Tensor2D;
  const targets = tf.oneHot(tf.tensor1d(ids(1), "int32"), v).toFloat() as tf.Tensor2D;
  // Additive causal mask: −1e9 above the diagonal (exp gives exactly 0 there, as our kernels skip j > i).
  const mask = tf.tensor2d(Float32Array.from({ length: t * t }, (_, i) => (i % t > Math.floor(i / t) ? -1e9 : 0)), [t, t]);
  const model: Model = { spec, layout, vars, b, mask };
  const varList = [...vars.values()];
  let step = 0;
  return {
    step() {
      step++;
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => loss(model, inputs, targets), varList);
        adamw(model, grads, opt, step, lr);
      });
    },
    async loss() {
      const value = tf.tidy(() => loss(model, inputs, targets));
      const [x] = await value.data();
      value.dispose();
      return x;
    },
    async sync() {
      await vars.get(layout.all[layout.all.length - 1])!.data();
    },
    async weights() {
      const out = new Float32Array(layout.total);
      for (const s of layout.all) out.set(await vars.get(s)!.data(), s.offset);
      return out;
    },
    dispose() {
      tf.dispose([...varList, opt.m, opt.v, opt.decay, inputs, targets, mask]);
    },
  };
}
