import { meanOf, runInChunks, weightDelta, type FragmentResult, type StepPacer } from "../fragment";
import { gptDecayMask, gptSlices, validateGptSpec, type GptLayout, type GptSlice, type GptSpec } from "../gpt/model";
import { addWindowLosses, validateGptFragment, type GptEvaluation, type GptFragmentInput, type GptTokens } from "../gpt/reference";
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPS, adamBiasCorrections, CLIP_EPS, WEIGHT_DECAY } from "../kernels/adamw";
import { attentionScale } from "../kernels/attention";
import { GELU_C, GELU_K, GELU_K3 } from "../kernels/gelu";
import { LAYER_NORM_EPS } from "../kernels/layernorm";
import { batchIndices } from "../prng";
import { WasmKernels } from ".";

type Ptr = number;
/** The GPT exports of the kernels module (assembly/kernels.ts), next to the MLP ones WasmKernels types. */
type GptKernelExports = {
  matmul(a: Ptr, b: Ptr, c: Ptr, m: number, k: number, n: number): void;
  transpose(src: Ptr, dst: Ptr, rows: number, cols: number): void;
  biasActivation(z: Ptr, bias: Ptr, m: number, n: number, act: number): void;
  columnSum(dz: Ptr, out: Ptr, m: number, n: number): void;
  softmaxCrossEntropy(z: Ptr, labels: Ptr, dz: Ptr, rowLoss: Ptr, e: Ptr, rows: number, classes: number, invB: number): void;
  lossReduce(rowLoss: Ptr, rows: number, invB: number): number;
  gptEmbeddingForward(tokens: Ptr, wte: Ptr, wpe: Ptr, out: Ptr, b: number, t: number, d: number): void;
  gptEmbeddingBackward(tokens: Ptr, dout: Ptr, dwte: Ptr, dwpe: Ptr, b: number, t: number, d: number): void;
  gptLayerNormForward(x: Ptr, gamma: Ptr, beta: Ptr, out: Ptr, mean: Ptr, rstd: Ptr, n: number, d: number, eps: number): void;
  gptLayerNormBackward(dout: Ptr, x: Ptr, mean: Ptr, rstd: Ptr, gamma: Ptr, dx: Ptr, dgamma: Ptr, dbeta: Ptr, xhat: Ptr, g: Ptr, n: number, d: number): void;
  gptAttentionForward(qkv: Ptr, out: Ptr, probs: Ptr, s: Ptr, b: number, t: number, d: number, h: number, scale: number): void;
  gptAttentionBackward(dout: Ptr, qkv: Ptr, probs: Ptr, dqkv: Ptr, ds: Ptr, dp: Ptr, b: number, t: number, d: number, h: number, scale: number): void;
  gptGeluForward(x: Ptr, out: Ptr, n: number, gc: number, gk: number): void;
  gptGeluBackward(x: Ptr, dout: Ptr, dx: Ptr, n: number, gc: number, gk: number, gk3: number): void;
  gptAdd(dst: Ptr, a: Ptr, b: Ptr, n: number): void;
  gptClip(g: Ptr, n: number, eps: number): number;
  gptAdamw(w: Ptr, g: Ptr, m: Ptr, v: Ptr, decay: Ptr, n: number, bc1: number, bc2: number, lr: number, wd: number, b1: number, b2: number, eps: number): void;
};

type LayerBuffers = { ln1: Ptr; ln1Mean: Ptr; ln1Rstd: Ptr; qkv: Ptr; probs: Ptr; att: Ptr; ln2: Ptr; ln2Mean: Ptr; ln2Rstd: Ptr; fc: Ptr; gelu: Ptr };

/**
 * A GPT fragment on the fast CPU path: the same steps as runGptFragmentReference (gpt/reference.ts), call for
 * call, on the WASM kernels, so the result is bit-identical. Buffers for one model shape and batch.
 */
export class GptWasmTrainer {
  private readonly k: GptKernelExports;
  private readonly layout: GptLayout;
  private readonly n: number;
  private readonly p: number;
  private readonly w: Ptr;
  private readonly grad: Ptr;
  private readonly m: Ptr;
  private readonly v: Ptr;
  private readonly decay: Ptr;
  private readonly inputs: Ptr;
  private readonly targets: Ptr;
  private readonly residual: Ptr[];
  private readonly layers: LayerBuffers[];
  private readonly lnf: Ptr;
  private readonly lnfMean: Ptr;
  private readonly lnfRstd: Ptr;
  private readonly logits: Ptr;
  private readonly dlogits: Ptr;
  private readonly wteT: Ptr;
  private readonly dlT: Ptr;
  private readonly rowLoss: Ptr;
  private readonly e: Ptr;
  private readonly branch: Ptr;
  private readonly dlnf: Ptr;
  private readonly dx: Ptr;
  private readonly dBranch: Ptr;
  private readonly dHidden: Ptr;
  private readonly dFc: Ptr;
  private readonly dQkv: Ptr;
  private readonly dAtt: Ptr;
  private readonly dLn: Ptr;
  private readonly xT: Ptr;
  private readonly wT: Ptr;
  private readonly lnScratch: Ptr;
  private readonly s: Ptr;
  private readonly ds: Ptr;
  private readonly dp: Ptr;
  private tokens: Ptr = 0;
  private rows = 0;
  private readonly scale: number;

  constructor(
    private readonly kernels: WasmKernels,
    readonly spec: GptSpec,
    readonly batch: number,
  ) {
    kernels.reset();
    this.k = kernels.k as unknown as GptKernelExports;
    this.layout = gptSlices(spec);
    const { dim: d, heads: h, context: t, vocab: v, layers: l } = spec;
    const n = (this.n = batch * t);
    const p = (this.p = this.layout.total);
    const f = (count: number) => kernels.alloc(count * 4);
    this.w = f(p);
    this.grad = f(p);
    this.m = f(p);
    this.v = f(p);
    this.decay = kernels.alloc(p);
    this.inputs = f(n);
    this.targets = f(n);
    this.residual = Array.from({ length: 2 * l + 1 }, () => f(n * d));
    this.layers = Array.from({ length: l }, () => ({
      ln1: f(n * d),
      ln1Mean: f(n),
      ln1Rstd: f(n),
      qkv: f(n * 3 * d),
      probs: f(batch * h * t * t),
      att: f(n * d),
      ln2: f(n * d),
      ln2Mean: f(n),
      ln2Rstd: f(n),
      fc: f(n * 4 * d),
      gelu: f(n * 4 * d),
    }));
    this.lnf = f(n * d);
    this.lnfMean = f(n);
    this.lnfRstd = f(n);
    this.logits = f(n * v);
    this.dlogits = f(n * v);
    this.wteT = f(d * v);
    this.dlT = f(v * n);
    this.rowLoss = f(n);
    this.e = f(v);
    this.branch = f(n * d);
    this.dlnf = f(n * d);
    this.dx = f(n * d);
    this.dBranch = f(n * d);
    this.dHidden = f(n * 4 * d);
    this.dFc = f(n * 4 * d);
    this.dQkv = f(n * 3 * d);
    this.dAtt = f(n * d);
    this.dLn = f(n * d);
    this.xT = f(4 * d * n);
    this.wT = f(4 * d * d);
    this.lnScratch = f(2 * d);
    this.s = f(t);
    this.ds = f(t * t);
    this.dp = f(t);
    this.scale = attentionScale(d, h);
    new Uint8Array(kernels.k.memory.buffer, this.decay, p).set(gptDecayMask(spec));
  }

  /** Copies a shard's token rows (rows × (context + 1)) into WASM memory (once per shard). */
  setShard(tokens: GptTokens): void {
    this.rows = tokens.length / (this.spec.context + 1);
    this.tokens = this.kernels.alloc(tokens.length * 4);
    this.kernels.u32(this.tokens, tokens.length).set(tokens);
  }

  setWeights(weights: Float32Array): void {
    this.kernels.f32(this.w, this.p).set(weights);
  }

  weights(): Float32Array {
    return this.kernels.f32(this.w, this.p).slice();
  }

  private at(base: Ptr, s: GptSlice): Ptr {
    return base + s.offset * 4;
  }

  private linear(wS: GptSlice, bS: GptSlice, x: Ptr, y: Ptr): void {
    this.k.matmul(x, this.at(this.w, wS), y, this.n, wS.rows, wS.cols);
    this.k.biasActivation(y, this.at(this.w, bS), this.n, wS.cols, 0);
  }

  private linearBackward(wS: GptSlice, bS: GptSlice, x: Ptr, dy: Ptr, dx: Ptr): void {
    const { k, n } = this;
    const [ni, no] = [wS.rows, wS.cols];
    k.transpose(x, this.xT, n, ni);
    k.matmul(this.xT, dy, this.at(this.grad, wS), ni, n, no);
    k.columnSum(dy, this.at(this.grad, bS), n, no);
    k.transpose(this.at(this.w, wS), this.wT, ni, no);
    k.matmul(dy, this.wT, dx, n, no, ni);
  }

  private layerNormBackward(dout: Ptr, x: Ptr, mean: Ptr, rstd: Ptr, g: GptSlice, b: GptSlice, dx: Ptr): void {
    const d = this.spec.dim;
    this.k.gptLayerNormBackward(dout, x, mean, rstd, this.at(this.w, g), dx, this.at(this.grad, g), this.at(this.grad, b), this.lnScratch, this.lnScratch + d * 4, this.n, d);
  }

  /** The forward pass of the inputs in WASM memory up to the logits. */
  private forwardLogits(): void {
    const { k, n, layout, spec, batch: b } = this;
    const { dim: d, heads: h, context: t, vocab: v } = spec;
    k.gptEmbeddingForward(this.inputs, this.at(this.w, layout.wte), this.at(this.w, layout.wpe), this.residual[0], b, t, d);
    layout.layers.forEach((s, l) => {
      const c = this.layers[l];
      const [x0, x1, x2] = [this.residual[2 * l], this.residual[2 * l + 1], this.residual[2 * l + 2]];
      k.gptLayerNormForward(x0, this.at(this.w, s.ln1G), this.at(this.w, s.ln1B), c.ln1, c.ln1Mean, c.ln1Rstd, n, d, LAYER_NORM_EPS);
      this.linear(s.qkvW, s.qkvB, c.ln1, c.qkv);
      k.gptAttentionForward(c.qkv, c.att, c.probs, this.s, b, t, d, h, this.scale);
      this.linear(s.projW, s.projB, c.att, this.branch);
      k.gptAdd(x1, x0, this.branch, n * d);
      k.gptLayerNormForward(x1, this.at(this.w, s.ln2G), this.at(this.w, s.ln2B), c.ln2, c.ln2Mean, c.ln2Rstd, n, d, LAYER_NORM_EPS);
      this.linear(s.fcW, s.fcB, c.ln2, c.fc);
      k.gptGeluForward(c.fc, c.gelu, n * 4 * d, GELU_C, GELU_K);
      this.linear(s.mlpProjW, s.mlpProjB, c.gelu, this.branch);
      k.gptAdd(x2, x1, this.branch, n * d);
    });
    const last = this.residual[2 * spec.layers];
    k.gptLayerNormForward(last, this.at(this.w, layout.lnfG), this.at(this.w, layout.lnfB), this.lnf, this.lnfMean, this.lnfRstd, n, d, LAYER_NORM_EPS);
    k.transpose(this.at(this.w, layout.wte), this.wteT, v, d);
    k.matmul(this.lnf, this.wteT, this.logits, n, d, v);
  }

  /** Forward and the mean loss over the batch's N targets; leaves dlogits for the backward pass. */
  private forward(): number {
    const { k, n } = this;
    const v = this.spec.vocab;
    this.forwardLogits();
    const invN = Math.fround(1 / n);
    k.softmaxCrossEntropy(this.logits, this.targets, this.dlogits, this.rowLoss, this.e, n, v, invN);
    return k.lossReduce(this.rowLoss, n, invN);
  }

  private backward(): void {
    const { k, n, layout, spec, batch: b } = this;
    const { dim: d, heads: h, context: t, vocab: v } = spec;
    this.kernels.f32(this.grad, this.p).fill(0);
    k.transpose(this.dlogits, this.dlT, n, v);
    k.matmul(this.dlT, this.lnf, this.at(this.grad, layout.wte), v, n, d);
    k.matmul(this.dlogits, this.at(this.w, layout.wte), this.dlnf, n, v, d);
    this.layerNormBackward(this.dlnf, this.residual[2 * spec.layers], this.lnfMean, this.lnfRstd, layout.lnfG, layout.lnfB, this.dx);
    for (let l = spec.layers - 1; l >= 0; l--) {
      const s = layout.layers[l];
      const c = this.layers[l];
      this.linearBackward(s.mlpProjW, s.mlpProjB, c.gelu, this.dx, this.dHidden);
      k.gptGeluBackward(c.fc, this.dHidden, this.dFc, n * 4 * d, GELU_C, GELU_K, GELU_K3);
      this.linearBackward(s.fcW, s.fcB, c.ln2, this.dFc, this.dLn);
      this.layerNormBackward(this.dLn, this.residual[2 * l + 1], c.ln2Mean, c.ln2Rstd, s.ln2G, s.ln2B, this.dBranch);
      k.gptAdd(this.dx, this.dx, this.dBranch, n * d);
      this.linearBackward(s.projW, s.projB, c.att, this.dx, this.dAtt);
      k.gptAttentionBackward(this.dAtt, c.qkv, c.probs, this.dQkv, this.ds, this.dp, b, t, d, h, this.scale);
      this.linearBackward(s.qkvW, s.qkvB, c.ln1, this.dQkv, this.dLn);
      this.layerNormBackward(this.dLn, this.residual[2 * l], c.ln1Mean, c.ln1Rstd, s.ln1G, s.ln1B, this.dBranch);
      k.gptAdd(this.dx, this.dx, this.dBranch, n * d);
    }
    k.gptEmbeddingBackward(this.inputs, this.dx, this.at(this.grad, layout.wte), this.at(this.grad, layout.wpe), b, t, d);
  }

  /**
   * The logits (B·T × V) of windows start…start+count−1 of `tokens` (count ≤ B; the rest of the batch repeats
   * window `start`). A view into WASM memory, valid until the next call.
   */
  logitsOf(tokens: GptTokens, start: number, count: number): Float32Array {
    const t = this.spec.context;
    const width = t + 1;
    const inputs = this.kernels.u32(this.inputs, this.n);
    for (let i = 0; i < this.batch; i++) {
      const r = (start + (i < count ? i : 0)) * width;
      for (let j = 0; j < t; j++) inputs[i * t + j] = tokens[r + j];
    }
    this.forwardLogits();
    return this.kernels.f32(this.logits, this.n * this.spec.vocab);
  }

  /**
   * Runs one AdamW step per B windows in `order`; returns each step's mean loss. `first` is the fragment's
   * steps already run (by earlier calls): at 0 the moments start from zero (steps 1…), else they carry on
   * and the bias corrections count on from first + 1, so a fragment cut into calls equals one call.
   */
  run(order: Uint32Array, lr: number, first = 0): Float32Array {
    const { batch: b, spec, k } = this;
    const t = spec.context;
    const width = t + 1;
    const steps = order.length / b;
    for (const r of order) if (r >= this.rows) throw new RangeError(`row ${r} is outside the shard`);
    if (first === 0) {
      this.kernels.f32(this.m, this.p).fill(0);
      this.kernels.f32(this.v, this.p).fill(0);
    }
    const losses = new Float32Array(steps);
    for (let step = 0; step < steps; step++) {
      const tokens = this.kernels.u32(this.tokens, this.rows * width);
      const inputs = this.kernels.u32(this.inputs, this.n);
      const targets = this.kernels.u32(this.targets, this.n);
      for (let i = 0; i < b; i++) {
        const r = order[step * b + i] * width;
        for (let j = 0; j < t; j++) {
          inputs[i * t + j] = tokens[r + j];
          targets[i * t + j] = tokens[r + j + 1];
        }
      }
      losses[step] = this.forward();
      this.backward();
      k.gptClip(this.grad, this.p, CLIP_EPS);
      const { bc1, bc2 } = adamBiasCorrections(first + step + 1);
      k.gptAdamw(this.w, this.grad, this.m, this.v, this.decay, this.p, bc1, bc2, lr, WEIGHT_DECAY, ADAM_BETA1, ADAM_BETA2, ADAM_EPS);
    }
    return losses;
  }
}

/**
 * evaluateGpt on the WASM path: the same logits bit for bit, and the same float64 loss sum in the same order,
 * so the result equals evaluateGpt's exactly (≈25× faster). The last chunk is padded with copies of its first
 * window, whose losses are not counted (windows never see one another).
 */
export async function evaluateGptWasm(spec: GptSpec, weights: Float32Array, tokens: GptTokens): Promise<GptEvaluation> {
  validateGptSpec(spec);
  const width = spec.context + 1;
  if (tokens.length % width !== 0) throw new RangeError(`GPT rows hold ${width} tokens, got ${tokens.length} values`);
  const rows = tokens.length / width;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (!Number.isInteger(tok) || tok < 0 || tok >= spec.vocab) throw new RangeError(`token ${tok} is not in [0, ${spec.vocab})`);
  }
  const chunk = Math.min(32, rows);
  const trainer = new GptWasmTrainer(await WasmKernels.create(), spec, chunk);
  trainer.setWeights(weights);
  let loss = 0;
  for (let start = 0; start < rows; start += chunk) {
    const b = Math.min(chunk, rows - start);
    loss = addWindowLosses(spec, trainer.logitsOf(tokens, start, b), tokens, start, b, loss);
  }
  const count = rows * spec.context;
  return { loss: loss / count, count };
}

/**
 * The GPT fragment on the fast CPU path (WebAssembly); bit-identical to `runGptFragmentReference`, however
 * `pace` cuts its steps.
 */
export async function runGptFragmentWasm(input: GptFragmentInput, pace?: StepPacer): Promise<FragmentResult> {
  const { rows } = validateGptFragment(input);
  const { steps, batch, lr } = input;
  // One instance per call: concurrent fragments never share an arena.
  const trainer = new GptWasmTrainer(await WasmKernels.create(), input.spec, batch);
  trainer.setShard(input.shard.tokens);
  trainer.setWeights(input.weights);
  const order = batchIndices(input.seed, rows, steps, batch);
  const stepLosses = new Float32Array(steps);
  await runInChunks(steps, (from, n) => stepLosses.set(trainer.run(order.subarray(from * batch, (from + n) * batch), lr, from), from), pace);
  return { delta: weightDelta(trainer.weights(), input.weights), meanLoss: meanOf(stepLosses), stepLosses };
}
