/// <reference types="@webgpu/types" />
import { meanOf, runInChunks, weightDelta, type FragmentResult, type StepPacer } from "../fragment";
import { gptDecayMask, gptSlices, type GptLayout, type GptSpec } from "../gpt/model";
import { validateGptFragment, type GptFragmentInput, type GptTokens } from "../gpt/reference";
import { WEIGHT_DECAY } from "../kernels/adamw";
import { adamwParams, adamwUpdateWgsl, CLIP_CHUNK, clipPartialsWgsl, clipScaleWgsl } from "../kernels/adamw.wgsl";
import { attentionBackwardKeyValueWgsl, attentionBackwardQueryWgsl, attentionForwardWgsl } from "../kernels/attention.wgsl";
import { embeddingBackwardWgsl, embeddingForwardWgsl, gatherTokensWgsl } from "../kernels/embedding.wgsl";
import { geluBackwardWgsl, geluForwardWgsl } from "../kernels/gelu.wgsl";
import { flatGrid } from "../kernels/gpt-common.wgsl";
import { layerNormBackwardWgsl, layerNormForwardWgsl } from "../kernels/layernorm.wgsl";
import { linearGrid, linearWgsl, type LinearKind } from "../kernels/linear.wgsl";
import { lossReduceWgsl, softmaxCrossEntropyWgsl } from "../kernels/softmax-ce";
import { attentionScale } from "../kernels/attention";
import { batchIndices } from "../prng";
import { getGpu, pipeline, WebGpuUnavailableError, type GpuContext } from "./index";

// GPUBufferUsage / GPUMapMode values, spelled out so this module can be imported where WebGPU is absent (Node).
const MAP_READ = 0x1;
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const UNIFORM = 0x40;
const STORAGE = 0x80;
const MAP_MODE_READ = 0x1;

/** Uniform slots are 256 bytes apart (minUniformBufferOffsetAlignment). */
const SLOT = 256;

type Param = number | { f: number };
type Dispatch = { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup; x: number; y: number };
type Grid = { x: number; y: number };
type Pending = { key: string; code: () => string; bind: GPUBuffer[]; grid: Grid; slot: number };
type Plan = {
  slots: Param[][];
  pending: Pending[];
  add: (key: string, code: () => string, params: Param[], bind: GPUBuffer[], grid: Grid) => void;
  lin: (kind: LinearKind, bias: boolean, residual: boolean, m: number, nn: number, k: number, off: number, inW: number, bind: GPUBuffer[]) => void;
  lnF: (x: GPUBuffer, gOff: number, bOff: number, out: GPUBuffer, mean: GPUBuffer, rstd: GPUBuffer) => void;
  lnB: (accumulate: boolean, x: GPUBuffer, mean: GPUBuffer, rstd: GPUBuffer, gOff: number, bOff: number) => void;
  attParams: Param[];
};

/**
 * A GPT fragment on WebGPU. Every buffer (weights, gradients, both AdamW moments, the activations the
 * backward needs, the shard's tokens) and every bind group is made once and reused by each step; the K
 * steps go to the GPU in one submission. A step: copy the step's batch indices and AdamW constants into
 * place, clear the gradients, then one compute pass — gather the windows, embedding, per layer
 * (LN → qkv → attention → proj + residual → LN → fc → GELU → proj + residual), final LN, logits = x·wteᵀ,
 * softmax cross-entropy and the mean loss; backward in the reference's order (tied head, final LN, layers
 * from the last, embedding); the global-norm clip; AdamW — then the step's loss is copied out.
 * The maths of each dispatch is the reference's (lib/compute/gpt/reference.ts) with its rounding order,
 * except the transcendental functions and the clip's chunked sum (see the kernels' doc comments).
 */
export class GptWebGpuTrainer {
  private readonly layout: GptLayout;
  private readonly n: number;
  private readonly buffers: GPUBuffer[] = [];
  private readonly weightsBuf: GPUBuffer;
  private readonly gradsBuf: GPUBuffer;
  private readonly mBuf: GPUBuffer;
  private readonly vBuf: GPUBuffer;
  private readonly batchIdx: GPUBuffer;
  private readonly lossOut: GPUBuffer;
  private readonly adamParams: GPUBuffer;
  private readonly acts: Record<string, GPUBuffer> = {};
  private shard?: GPUBuffer;
  private rows = 0;
  private order?: GPUBuffer;
  private schedule?: GPUBuffer;
  private losses?: GPUBuffer;
  private capacity = 0;
  private dispatches: Dispatch[] = [];
  private params?: GPUBuffer;

  constructor(
    readonly ctx: GpuContext,
    readonly spec: GptSpec,
    readonly batch: number,
  ) {
    this.layout = gptSlices(spec);
    const { dim: d, heads: h, context: t, vocab: v, layers } = spec;
    const n = (this.n = batch * t);
    const p = this.layout.total;
    this.weightsBuf = this.buffer(p * 4, STORAGE | COPY_DST | COPY_SRC);
    this.gradsBuf = this.buffer(p * 4, STORAGE | COPY_DST);
    this.mBuf = this.buffer(p * 4, STORAGE | COPY_DST);
    this.vBuf = this.buffer(p * 4, STORAGE | COPY_DST);
    const f32 = (name: string, count: number, usage = STORAGE) => (this.acts[name] = this.buffer(count * 4, usage));
    // Constant inputs: the decay mask (1 = a decayed matrix) and the identity row map the CE kernel reads its labels through.
    f32("decay", p, STORAGE | COPY_DST);
    f32("ident", n, STORAGE | COPY_DST);
    f32("partial", Math.ceil(p / CLIP_CHUNK));
    f32("clip", 2);
    f32("xTok", n);
    f32("yTok", n);
    for (let i = 0; i <= 2 * layers; i++) f32(`res${i}`, n * d);
    for (let l = 0; l < layers; l++) {
      for (const s of ["ln1", "att", "ln2"]) f32(`${s}.${l}`, n * d);
      for (const s of ["ln1Mean", "ln1Rstd", "ln2Mean", "ln2Rstd"]) f32(`${s}.${l}`, n);
      f32(`qkv.${l}`, n * 3 * d);
      f32(`probs.${l}`, batch * h * t * t);
      f32(`fc.${l}`, n * 4 * d);
      f32(`gelu.${l}`, n * 4 * d);
    }
    f32("lnf", n * d);
    f32("lnfMean", n);
    f32("lnfRstd", n);
    f32("logits", n * v);
    f32("dlogits", n * v);
    f32("rowLoss", n);
    for (const s of ["dx", "dLn", "dAtt"]) f32(s, n * d);
    f32("dHidden", n * 4 * d);
    f32("dFc", n * 4 * d);
    f32("dQkv", n * 3 * d);
    f32("ds", batch * h * t * t);
    this.batchIdx = this.buffer(batch * 4, STORAGE | COPY_DST);
    this.lossOut = this.buffer(4, STORAGE | COPY_SRC);
    this.adamParams = this.buffer(SLOT, UNIFORM | COPY_DST);
    const { queue } = ctx.device;
    queue.writeBuffer(this.acts.decay, 0, Uint32Array.from(gptDecayMask(spec)));
    queue.writeBuffer(this.acts.ident, 0, Uint32Array.from({ length: n }, (_, i) => i));
  }

  private buffer(size: number, usage: number): GPUBuffer {
    const b = this.ctx.device.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    this.buffers.push(b);
    return b;
  }

  /** The shard's windows: rows × (context + 1) token ids (already validated against the vocabulary). */
  setShard(tokens: GptTokens): void {
    this.shard?.destroy();
    const width = this.spec.context + 1;
    this.rows = tokens.length / width;
    this.shard = this.buffer(tokens.length * 4, STORAGE | COPY_DST);
    this.ctx.device.queue.writeBuffer(this.shard, 0, Uint32Array.from(tokens));
    this.dispatches = [];
  }

  setWeights(weights: Float32Array): void {
    this.ctx.device.queue.writeBuffer(this.weightsBuf, 0, weights as Float32Array<ArrayBuffer>);
  }

  /** Records every dispatch of a step in order, then makes their uniforms, bind groups and pipelines. */
  private buildDispatches(): void {
    if (!this.shard) throw new Error("setShard first");
    const plan = this.planner();
    this.planForward(plan, this.shard);
    this.planBackward(plan);
    this.planClip(plan);
    this.materialize(plan);
  }

  /** A recorder of dispatches: each takes the next uniform slot; lin / lnF / lnB are the common shapes. */
  private planner(): Plan {
    const { dim: d, heads: h, context: t } = this.spec;
    const { n, batch: b } = this;
    const A = this.acts;
    const W = this.weightsBuf;
    const G = this.gradsBuf;
    const slots: Param[][] = [];
    const pending: Pending[] = [];
    const add = (key: string, code: () => string, params: Param[], bind: GPUBuffer[], grid: Grid) => {
      pending.push({ key, code, bind, grid, slot: slots.length });
      slots.push(params);
    };
    const lin = (kind: LinearKind, bias: boolean, residual: boolean, m: number, nn: number, k: number, off: number, inW: number, bind: GPUBuffer[]) =>
      add(`gpt-linear:${kind}:${bias}:${residual}`, () => linearWgsl(kind, bias, residual), [m, nn, k, off, inW], bind, linearGrid(m, nn));
    const lnF = (x: GPUBuffer, gOff: number, bOff: number, out: GPUBuffer, mean: GPUBuffer, rstd: GPUBuffer) =>
      add("gpt-ln-f", () => layerNormForwardWgsl, [n, d, gOff, bOff], [x, W, out, mean, rstd], flatGrid(n));
    const lnB = (accumulate: boolean, x: GPUBuffer, mean: GPUBuffer, rstd: GPUBuffer, gOff: number, bOff: number) =>
      add(`gpt-ln-b:${accumulate}`, () => layerNormBackwardWgsl({ accumulate }), [n, d, gOff, gOff, bOff], [A.dLn, x, mean, rstd, W, A.dx, G], flatGrid(n + d));
    const attParams: Param[] = [b, t, d, h, d / h, { f: attentionScale(d, h) }];
    return { slots, pending, add, lin, lnF, lnB, attParams };
  }

  /** Forward: gather the windows, embedding, the layers, final LN, logits, softmax cross-entropy and the mean loss. */
  private planForward({ add, lin, lnF, attParams }: Plan, shard: GPUBuffer): void {
    const { dim: d, heads: h, context: t, vocab: v, layers } = this.spec;
    const { n, layout, batch: b } = this;
    const A = this.acts;
    const W = this.weightsBuf;
    add("gpt-gather", () => gatherTokensWgsl, [n, t, t + 1], [shard, this.batchIdx, A.xTok, A.yTok], flatGrid(n));
    add("gpt-emb-f", () => embeddingForwardWgsl, [n, t, d, layout.wte.offset, layout.wpe.offset], [A.xTok, W, A.res0], flatGrid(n * d));
    layout.layers.forEach((s, l) => {
      const [x0, x1, x2] = [A[`res${2 * l}`], A[`res${2 * l + 1}`], A[`res${2 * l + 2}`]];
      const L = (name: string) => A[`${name}.${l}`];
      lnF(x0, s.ln1G.offset, s.ln1B.offset, L("ln1"), L("ln1Mean"), L("ln1Rstd"));
      lin("nn", true, false, n, 3 * d, d, s.qkvW.offset, 0, [L("ln1"), W, L("qkv")]);
      add("gpt-att-f", () => attentionForwardWgsl, attParams, [L("qkv"), L("att"), L("probs")], flatGrid(b * h * t));
      lin("nn", true, true, n, d, d, s.projW.offset, 0, [L("att"), W, x1, x0]);
      lnF(x1, s.ln2G.offset, s.ln2B.offset, L("ln2"), L("ln2Mean"), L("ln2Rstd"));
      lin("nn", true, false, n, 4 * d, d, s.fcW.offset, 0, [L("ln2"), W, L("fc")]);
      add("gpt-gelu-f", () => geluForwardWgsl, [n * 4 * d], [L("fc"), L("gelu")], flatGrid(n * 4 * d));
      lin("nn", true, true, n, d, 4 * d, s.mlpProjW.offset, 0, [L("gelu"), W, x2, x1]);
    });
    const top = A[`res${2 * layers}`];
    lnF(top, layout.lnfG.offset, layout.lnfB.offset, A.lnf, A.lnfMean, A.lnfRstd);
    lin("nt", false, false, n, v, d, layout.wte.offset, 0, [A.lnf, W, A.logits]);
    const ce: Param[] = [n, v, { f: Math.fround(1 / n) }];
    add("softmax-ce", () => softmaxCrossEntropyWgsl, ce, [A.logits, A.yTok, A.ident, A.dlogits, A.rowLoss], flatGrid(n));
    add("loss-reduce", () => lossReduceWgsl, ce, [A.rowLoss, this.lossOut], { x: 1, y: 1 });
  }

  private planBackward({ add, lin, lnB, attParams }: Plan): void {
    const { dim: d, heads: h, context: t, vocab: v, layers } = this.spec;
    const { n, layout, batch: b } = this;
    const A = this.acts;
    const W = this.weightsBuf;
    const G = this.gradsBuf;
    const top = A[`res${2 * layers}`];
    // Backward: the tied head (dwte written here, the embedding adds to it last), the final LN, the layers.
    lin("tn", false, false, v, d, n, layout.wte.offset, v, [A.dlogits, A.lnf, G]);
    lin("nn", false, false, n, d, v, layout.wte.offset, 0, [A.dlogits, W, A.dLn]);
    lnB(false, top, A.lnfMean, A.lnfRstd, layout.lnfG.offset, layout.lnfB.offset);
    for (let l = layers - 1; l >= 0; l--) {
      const s = layout.layers[l];
      const L = (name: string) => A[`${name}.${l}`];
      lin("tn", true, false, 4 * d + 1, d, n, s.mlpProjW.offset, 4 * d, [L("gelu"), A.dx, G]);
      lin("nt", false, false, n, 4 * d, d, s.mlpProjW.offset, 0, [A.dx, W, A.dHidden]);
      add("gpt-gelu-b", () => geluBackwardWgsl, [n * 4 * d], [L("fc"), A.dHidden, A.dFc], flatGrid(n * 4 * d));
      lin("tn", true, false, d + 1, 4 * d, n, s.fcW.offset, d, [L("ln2"), A.dFc, G]);
      lin("nt", false, false, n, d, 4 * d, s.fcW.offset, 0, [A.dFc, W, A.dLn]);
      lnB(true, A[`res${2 * l + 1}`], L("ln2Mean"), L("ln2Rstd"), s.ln2G.offset, s.ln2B.offset);
      lin("tn", true, false, d + 1, d, n, s.projW.offset, d, [L("att"), A.dx, G]);
      lin("nt", false, false, n, d, d, s.projW.offset, 0, [A.dx, W, A.dAtt]);
      const att = [A.dAtt, L("qkv"), L("probs"), A.dQkv, A.ds];
      add("gpt-att-bq", () => attentionBackwardQueryWgsl, attParams, att, flatGrid(b * h * t));
      add("gpt-att-bkv", () => attentionBackwardKeyValueWgsl, attParams, att, flatGrid(b * h * t));
      lin("tn", true, false, d + 1, 3 * d, n, s.qkvW.offset, d, [L("ln1"), A.dQkv, G]);
      lin("nt", false, false, n, d, 3 * d, s.qkvW.offset, 0, [A.dQkv, W, A.dLn]);
      lnB(true, A[`res${2 * l}`], L("ln1Mean"), L("ln1Rstd"), s.ln1G.offset, s.ln1B.offset);
    }
    add("gpt-emb-b", () => embeddingBackwardWgsl, [n, t, d, layout.wte.offset, layout.wpe.offset, v], [A.xTok, A.dx, G], flatGrid((v + t) * d));
  }

  private planClip({ add }: Plan): void {
    const { layout } = this;
    const A = this.acts;
    const G = this.gradsBuf;
    // Clip to global norm 1, then AdamW (its per-step constants are copied into adamParams before the pass).
    const p = layout.total;
    const chunks = Math.ceil(p / CLIP_CHUNK);
    add("gpt-clip-p", () => clipPartialsWgsl, [p, CLIP_CHUNK, chunks], [G, A.partial], flatGrid(chunks));
    add("gpt-clip-s", () => clipScaleWgsl, [p, CLIP_CHUNK, chunks], [A.partial, A.clip], { x: 1, y: 1 });
  }

  /** Writes every slot's uniforms into one buffer and makes the dispatches (AdamW last, on its own uniforms). */
  private materialize({ slots, pending }: Plan): void {
    const { device } = this.ctx;
    const A = this.acts;
    const W = this.weightsBuf;
    const G = this.gradsBuf;
    const p = this.layout.total;
    this.params?.destroy();
    const params = (this.params = this.buffer(slots.length * SLOT, UNIFORM | COPY_DST));
    const data = new ArrayBuffer(slots.length * SLOT);
    const dv = new DataView(data);
    slots.forEach((values, s) =>
      values.forEach((x, i) => (typeof x === "number" ? dv.setUint32(s * SLOT + i * 4, x, true) : dv.setFloat32(s * SLOT + i * 4, x.f, true))),
    );
    device.queue.writeBuffer(params, 0, data);
    const bindGroup = (pl: GPUComputePipeline, uniform: [GPUBuffer, number], bind: GPUBuffer[]) =>
      device.createBindGroup({
        layout: pl.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: uniform[0], offset: uniform[1], size: 64 } },
          ...bind.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
        ],
      });
    this.dispatches = pending.map((q) => {
      const pl = pipeline(device, q.key, q.code);
      return { pipeline: pl, bindGroup: bindGroup(pl, [params, q.slot * SLOT], q.bind), ...q.grid };
    });
    const adam = pipeline(device, "gpt-adamw", () => adamwUpdateWgsl);
    this.dispatches.push({
      pipeline: adam,
      bindGroup: bindGroup(adam, [this.adamParams, 0], [W, G, this.mBuf, this.vBuf, A.decay, A.clip]),
      ...flatGrid(p),
    });
  }

  /**
   * Runs one step per B indices of `order` and resolves to each step's mean loss. `first` is the fragment's
   * steps already run (by earlier calls): at 0 the moments start from zero (steps 1… for AdamW's bias
   * corrections), else they carry on from first + 1, so a fragment cut into calls runs the same dispatches.
   */
  async run(order: Uint32Array, lr: number, wd: number, first = 0): Promise<Float32Array> {
    const { device } = this.ctx;
    const b = this.batch;
    const steps = order.length / b;
    for (const r of order) if (r >= this.rows) throw new RangeError(`row ${r} is outside the shard`);
    if (order.length > this.capacity) {
      for (const buf of [this.order, this.schedule, this.losses]) buf?.destroy();
      this.order = this.buffer(order.byteLength, COPY_SRC | COPY_DST);
      this.schedule = this.buffer(steps * SLOT, COPY_SRC | COPY_DST);
      this.losses = this.buffer(steps * 4, COPY_SRC | COPY_DST);
      this.capacity = order.length;
    }
    if (this.dispatches.length === 0) this.buildDispatches();
    const p = this.layout.total;
    device.queue.writeBuffer(this.order!, 0, order as Uint32Array<ArrayBuffer>);
    const schedule = new Uint8Array(steps * SLOT);
    for (let k = 0; k < steps; k++) schedule.set(new Uint8Array(adamwParams({ n: p, lr, wd, step: first + k + 1 })), k * SLOT);
    device.queue.writeBuffer(this.schedule!, 0, schedule);
    const enc = device.createCommandEncoder();
    if (first === 0) {
      enc.clearBuffer(this.mBuf);
      enc.clearBuffer(this.vBuf);
    }
    for (let k = 0; k < steps; k++) {
      enc.copyBufferToBuffer(this.order!, k * b * 4, this.batchIdx, 0, b * 4);
      enc.copyBufferToBuffer(this.schedule!, k * SLOT, this.adamParams, 0, SLOT);
      enc.clearBuffer(this.gradsBuf);
      const pass = enc.beginComputePass();
      for (const d of this.dispatches) {
        pass.setPipeline(d.pipeline);
        pass.setBindGroup(0, d.bindGroup);
        pass.dispatchWorkgroups(d.x, d.y);
      }
      pass.end();
      enc.copyBufferToBuffer(this.lossOut, 0, this.losses!, k * 4, 4);
    }
    const read = device.createBuffer({ size: Math.max(16, steps * 4), usage: MAP_READ | COPY_DST });
    enc.copyBufferToBuffer(this.losses!, 0, read, 0, steps * 4);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(MAP_MODE_READ);
    const losses = new Float32Array(read.getMappedRange().slice(0, steps * 4));
    read.destroy();
    return losses;
  }

  async weights(): Promise<Float32Array> {
    const { device } = this.ctx;
    const size = this.layout.total * 4;
    const read = device.createBuffer({ size, usage: MAP_READ | COPY_DST });
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(this.weightsBuf, 0, read, 0, size);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(MAP_MODE_READ);
    const out = new Float32Array(read.getMappedRange().slice(0));
    read.destroy();
    return out;
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}

/**
 * A GPT fragment on WebGPU: the same input and result as `runGptFragmentReference`, differing from it by
 * rounding only (transcendentals, the clip's chunked sum) — see e2e/compute/gpt-kernels.spec.ts for the
 * tolerance it is held to. `pace` cuts the steps into submissions (the same dispatches in the same order).
 */
export async function runGptFragmentWebGpu(input: GptFragmentInput, ctx?: GpuContext, pace?: StepPacer): Promise<FragmentResult> {
  const { rows } = validateGptFragment(input);
  const g = ctx ?? (await getGpu());
  if (!g) throw new WebGpuUnavailableError();
  checkGptFits(g.device, input.spec, input.batch, rows);
  const { device } = g;
  // WebGPU reports a failed allocation or an invalid dispatch asynchronously and then runs nothing: without
  // the scopes the fragment would "succeed" with zero losses and a zero delta.
  device.pushErrorScope("out-of-memory");
  device.pushErrorScope("validation");
  let trainer: GptWebGpuTrainer | undefined;
  let result: FragmentResult | undefined;
  let failure: unknown;
  try {
    trainer = new GptWebGpuTrainer(g, input.spec, input.batch);
    trainer.setShard(input.shard.tokens);
    trainer.setWeights(input.weights);
    const t = trainer;
    const { steps, batch, lr } = input;
    const order = batchIndices(input.seed, rows, steps, batch);
    const stepLosses = new Float32Array(steps);
    await runInChunks(steps, async (from, n) => stepLosses.set(await t.run(order.subarray(from * batch, (from + n) * batch), lr, WEIGHT_DECAY, from), from), pace);
    result = { delta: weightDelta(await trainer.weights(), input.weights), meanLoss: meanOf(stepLosses), stepLosses };
  } catch (e) {
    failure = e;
  }
  trainer?.destroy();
  const errors = [await device.popErrorScope(), await device.popErrorScope()].filter((e) => e !== null);
  if (errors.length > 0) throw new WebGpuFragmentError(errors.map((e) => e.message).join("; "));
  if (failure !== undefined || !result) throw failure;
  return result;
}

/** The GPU rejected the fragment's buffers or dispatches (out of memory, or over a device limit). */
export class WebGpuFragmentError extends Error {
  constructor(message: string) {
    super(`WebGPU could not run the GPT fragment: ${message}`);
    this.name = "WebGpuFragmentError";
  }
}

/** The largest buffer of a GPT fragment at batch B (bytes): logits/dlogits (B·T×V) or an MLP activation (B·T×4D). */
export function gptLargestBuffer(spec: GptSpec, batch: number, rows: number): number {
  const n = batch * spec.context;
  return 4 * Math.max(n * spec.vocab, n * 4 * spec.dim, batch * spec.heads * spec.context * spec.context, gptSlices(spec).total, rows * (spec.context + 1));
}

/** Throws a WebGpuFragmentError up front when a buffer would exceed the device's binding limit. */
function checkGptFits(device: GPUDevice, spec: GptSpec, batch: number, rows: number): void {
  const need = gptLargestBuffer(spec, batch, rows);
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (need > limit) throw new WebGpuFragmentError(`a ${need}-byte buffer exceeds the device's ${limit}-byte storage binding limit`);
}
