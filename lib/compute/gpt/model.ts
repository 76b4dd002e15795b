import { hash32 } from "../prng";

/**
 * A decoder-only transformer (GPT-2 style, pre-LayerNorm): token + learned position embeddings →
 * `layers` × (LN → causal multi-head self-attention → residual; LN → MLP 4·dim, GELU (tanh) → residual) →
 * final LN → LM head tied to the token embedding. `vocab` = vocabulary size, `context` = the longest window.
 */
export type GptSpec = { kind: "gpt"; layers: number; heads: number; dim: number; context: number; vocab: number; tied: true };

export const GPT_LIMITS = {
  layers: { min: 1, max: 16 },
  heads: { min: 1, max: 32 },
  dim: { min: 2, max: 1024 },
  context: { min: 1, max: 256 },
  vocab: { min: 2, max: 65536 },
  /** The largest model a fragment may train: browsers hold weights, gradients and both AdamW moments. */
  parameters: 10_000_000,
} as const;

/** One contiguous tensor of the flat float32 weights: rows × cols row-major (a vector has rows = 1). */
export type GptSlice = { name: string; offset: number; length: number; rows: number; cols: number; decay: boolean };

export type GptLayerSlices = {
  ln1G: GptSlice;
  ln1B: GptSlice;
  qkvW: GptSlice;
  qkvB: GptSlice;
  projW: GptSlice;
  projB: GptSlice;
  ln2G: GptSlice;
  ln2B: GptSlice;
  fcW: GptSlice;
  fcB: GptSlice;
  mlpProjW: GptSlice;
  mlpProjB: GptSlice;
};

/** The parameter layout: named slices plus `all`, every slice in layout order (its index = init stream). */
export type GptLayout = {
  wte: GptSlice;
  wpe: GptSlice;
  layers: GptLayerSlices[];
  lnfG: GptSlice;
  lnfB: GptSlice;
  all: GptSlice[];
  total: number;
};

function checkInt(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`gpt ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

export function validateGptSpec(spec: GptSpec): void {
  if (spec.kind !== "gpt") throw new RangeError(`gpt kind must be "gpt", got ${String(spec.kind)}`);
  if (spec.tied !== true) throw new RangeError("gpt tied must be true: the LM head is the token embedding");
  for (const k of ["layers", "heads", "dim", "context", "vocab"] as const) checkInt(k, spec[k], GPT_LIMITS[k].min, GPT_LIMITS[k].max);
  if (spec.dim % spec.heads !== 0) throw new RangeError(`gpt heads must divide dim, got dim ${spec.dim} and heads ${spec.heads}`);
  const n = countParameters(spec);
  if (n > GPT_LIMITS.parameters) {
    throw new RangeError(`gpt parameters: the model has ${n} parameters, the limit is ${GPT_LIMITS.parameters}`);
  }
}

function countParameters({ layers: l, dim: d, context: c, vocab: v }: GptSpec): number {
  return v * d + c * d + l * (12 * d * d + 13 * d) + 2 * d;
}

/**
 * Flat float32 layout, in this order: wte (V×D), wpe (context×D), then per layer ln1.g (D), ln1.b (D),
 * attn.qkv W (D×3D), attn.qkv b (3D), attn.proj W (D×D), attn.proj b (D), ln2.g (D), ln2.b (D), mlp.fc W
 * (D×4D), mlp.fc b (4D), mlp.proj W (4D×D), mlp.proj b (D); then lnf.g (D), lnf.b (D). A linear layer's W
 * is in×out row-major (y = x·W + b), like the MLP. Weight decay applies to the 2-D matrices only.
 */
export function gptSlices(spec: GptSpec): GptLayout {
  validateGptSpec(spec);
  const d = spec.dim;
  const all: GptSlice[] = [];
  let offset = 0;
  const add = (name: string, rows: number, cols: number, decay: boolean): GptSlice => {
    const s = { name, offset, length: rows * cols, rows, cols, decay };
    all.push(s);
    offset += s.length;
    return s;
  };
  const wte = add("wte", spec.vocab, d, true);
  const wpe = add("wpe", spec.context, d, true);
  const layers: GptLayerSlices[] = [];
  for (let l = 0; l < spec.layers; l++) {
    const p = `h${l}.`;
    layers.push({
      ln1G: add(`${p}ln1.g`, 1, d, false),
      ln1B: add(`${p}ln1.b`, 1, d, false),
      qkvW: add(`${p}attn.qkv.w`, d, 3 * d, true),
      qkvB: add(`${p}attn.qkv.b`, 1, 3 * d, false),
      projW: add(`${p}attn.proj.w`, d, d, true),
      projB: add(`${p}attn.proj.b`, 1, d, false),
      ln2G: add(`${p}ln2.g`, 1, d, false),
      ln2B: add(`${p}ln2.b`, 1, d, false),
      fcW: add(`${p}mlp.fc.w`, d, 4 * d, true),
      fcB: add(`${p}mlp.fc.b`, 1, 4 * d, false),
      mlpProjW: add(`${p}mlp.proj.w`, 4 * d, d, true),
      mlpProjB: add(`${p}mlp.proj.b`, 1, d, false),
    });
  }
  const lnfG = add("lnf.g", 1, d, false);
  const lnfB = add("lnf.b", 1, d, false);
  return { wte, wpe, layers, lnfG, lnfB, all, total: offset };
}

/** V·D + context·D + layers·(12·D² + 13·D) + 2·D. */
export function gptParameterCount(spec: GptSpec): number {
  validateGptSpec(spec);
  return countParameters(spec);
}

/** 1 for every weight that AdamW decays (wte, wpe and the linear layers' W), 0 for biases and LN parameters. */
export function gptDecayMask(spec: GptSpec): Uint8Array {
  const layout = gptSlices(spec);
  const mask = new Uint8Array(layout.total);
  for (const s of layout.all) if (s.decay) mask.fill(1, s.offset, s.offset + s.length);
  return mask;
}

/**
 * Deterministic initial weights (GPT-2's N(0, 0.02), approximated by a uniform of the same variance):
 * every matrix U(−a, a) with a = 0.02·√3, the residual projections (attn.proj W, mlp.proj W) scaled by
 * 1/√(2·layers); biases 0; LN gains 1, LN biases 0. Element i of slice s (its index in layout order) draws
 * hash32(seed, s, i), like the MLP's initWeights.
 */
export function initGptWeights(spec: GptSpec, seed: number): Float32Array {
  const layout = gptSlices(spec);
  const w = new Float32Array(layout.total);
  const base = 0.02 * Math.sqrt(3);
  const residual = new Set(layout.layers.flatMap((l) => [l.projW, l.mlpProjW]));
  const gains = new Set([...layout.layers.flatMap((l) => [l.ln1G, l.ln2G]), layout.lnfG]);
  layout.all.forEach((s, stream) => {
    if (gains.has(s)) w.fill(1, s.offset, s.offset + s.length);
    if (!s.decay) return;
    const a = residual.has(s) ? base / Math.sqrt(2 * spec.layers) : base;
    for (let i = 0; i < s.length; i++) w[s.offset + i] = ((hash32(seed >>> 0, stream, i) / 4294967296) * 2 - 1) * a;
  });
  return w;
}

/**
 * Floating-point operations of one training step at batch B (N = B·T rows, T = context, D = dim, V = vocab,
 * H = heads, L = layers), counting every multiply, add, subtract, divide, compare, exp, log, sqrt and tanh as
 * one, as the reference computes them:
 *  - a linear layer n_in → n_out over N rows: forward 2·N·n_in·n_out + N·n_out (bias); backward
 *    2·N·n_in·n_out (weight gradient) + N·n_out (bias gradient) + 2·N·n_in·n_out (input gradient).
 *    Per block: qkv (D → 3D), attn proj (D → D), fc (D → 4D), mlp proj (4D → D).
 *  - LayerNorm over N rows of D: forward 8·N·D (sum, subtract, square, sum, subtract, scale, gain, bias)
 *    + 5·N (two divides, + eps, sqrt, reciprocal); backward 14·N·D + 2·N. Two per block plus the final one.
 *  - attention, with P = B·H·T·(T+1)/2 causal (i, j) pairs and hd = D/H: forward 4·P·hd (scores, p·v) +
 *    6·P (scale, max, subtract, exp, sum, divide); backward 8·P·hd (dp, dv, dq, dk) + 5·P (p·dp and its
 *    sum, subtract, multiply, scale).
 *  - GELU on N·4D values: forward 9, backward 19 operations each (the backward recomputes tanh's argument).
 *  - residual adds: forward 2·N·D per block; backward 2·N·D per block (the branch gradient added to the stream).
 *  - embedding: forward N·D; backward 2·N·D.
 *  - LM head (tied): forward 2·N·D·V; backward 2·N·D·V (input gradient) + 2·N·D·V (wte gradient, which the
 *    embedding's backward then adds its rows to); softmax cross-entropy 6·N·V + 2·N, mean loss N.
 *  - clipping 3·P_n + 4 (squares, sum, sqrt, compare, divide, add, scale) and AdamW 14·P_n (+ 2 per decayed
 *    weight) on P_n parameters.
 * The same number for every device: these are the work units.
 */
export function gptStepFlops(spec: GptSpec, batch: number): number {
  const layout = gptSlices(spec);
  const { dim: d, heads: h, context: t, vocab: v, layers: l } = spec;
  const n = batch * t;
  const linear = (i: number, o: number) => 6 * n * i * o + 2 * n * o;
  const lnF = 8 * n * d + 5 * n;
  const lnB = 14 * n * d + 2 * n;
  const pairs = (batch * h * t * (t + 1)) / 2;
  const hd = d / h;
  const attention = 4 * pairs * hd + 6 * pairs + 8 * pairs * hd + 5 * pairs;
  const gelu = (9 + 19) * n * 4 * d;
  const block = linear(d, 3 * d) + linear(d, d) + linear(d, 4 * d) + linear(4 * d, d) + 2 * (lnF + lnB) + attention + gelu + 4 * n * d;
  let decayed = 0;
  for (const s of layout.all) if (s.decay) decayed += s.length;
  const p = layout.total;
  return l * block + lnF + lnB + 3 * n * d + 6 * n * d * v + 6 * n * v + 3 * n + 3 * p + 4 + 14 * p + 2 * decayed;
}

/** Work units of a fragment: K steps at batch B. */
export function gptFragmentFlops(spec: GptSpec, steps: number, batch: number): number {
  return steps * gptStepFlops(spec, batch);
}

/**
 * Floating-point operations of the forward pass alone over B windows of the full context (N = B·T), counted
 * as gptStepFlops counts its forward halves: per block the four linear layers (2·N·n_in·n_out + N·n_out each),
 * two LayerNorms (8·N·D + 5·N each), attention (4·P·hd + 6·P), GELU (9 per value of N·4D) and the two residual
 * adds (2·N·D); then the embedding (N·D), the final LayerNorm and the tied LM head (2·N·D·V). One generated
 * token of a language-model inference job costs one such pass at B = 1 (lib/protocol/inference-tokens.ts).
 */
export function gptForwardFlops(spec: GptSpec, batch: number): number {
  const { dim: d, heads: h, context: t, vocab: v, layers: l } = spec;
  const n = batch * t;
  const linear = (i: number, o: number) => 2 * n * i * o + n * o;
  const lnF = 8 * n * d + 5 * n;
  const pairs = (batch * h * t * (t + 1)) / 2;
  const attention = 4 * pairs * (d / h) + 6 * pairs;
  const block = linear(d, 3 * d) + linear(d, d) + linear(d, 4 * d) + linear(4 * d, d) + 2 * lnF + attention + 9 * n * 4 * d + 2 * n * d;
  return l * block + n * d + lnF + 2 * n * d * v;
}
