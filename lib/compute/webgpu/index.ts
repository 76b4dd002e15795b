/// <reference types="@webgpu/types" />
import { meanOf, validateFragment, weightDelta, type FragmentInput, type FragmentResult, type Shard } from "../fragment";
import { MATMUL_TILE, matmulWgsl, TILE, type MatmulOptions } from "../kernels/matmul";
import { lossReduceWgsl, softmaxCrossEntropyWgsl } from "../kernels/softmax-ce";
import { layerSlices, type LayerSlice, type MlpSpec } from "../model";
import { pocMatmulWgsl } from "../poc";
import { batchIndices } from "../prng";

export type GpuContext = {
  device: GPUDevice;
  adapter: { vendor: string; architecture: string; description: string; isFallback: boolean };
};

let gpu: Promise<GpuContext | null> | undefined;

/**
 * WebGPU capability, checked once per page or worker: null when there is no `navigator.gpu`, no adapter or
 * no device. Requests the adapter's storage-buffer limits so a whole shard fits one binding.
 */
export function getGpu(): Promise<GpuContext | null> {
  gpu ??= (async () => {
    const nav = (globalThis as { navigator?: Navigator }).navigator;
    if (!nav?.gpu) return null;
    const adapter = await nav.gpu.requestAdapter();
    if (!adapter) return null;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
    // A lost device (driver reset, tab backgrounded on some platforms) makes the next call check again.
    void device.lost.then(() => {
      gpu = undefined;
    });
    const info = adapter.info;
    const isFallback = Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter);
    return { device, adapter: { vendor: info.vendor, architecture: info.architecture, description: info.description, isFallback } };
  })().catch(() => null);
  return gpu;
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/** One compiled pipeline per (device, kernel key): shader modules are compiled once per page. */
export function pipeline(device: GPUDevice, key: string, code: () => string): GPUComputePipeline {
  let cache = pipelines.get(device);
  if (!cache) pipelines.set(device, (cache = new Map()));
  let p = cache.get(key);
  if (!p) {
    p = device.createComputePipeline({ layout: "auto", compute: { module: device.createShaderModule({ code: code(), label: key }), entryPoint: "main" } });
    cache.set(key, p);
  }
  return p;
}

function matmulPipeline(device: GPUDevice, o: MatmulOptions): GPUComputePipeline {
  return pipeline(device, `matmul:${o.kind}:${o.activation}:${o.gather ? "gather" : "dense"}`, () => matmulWgsl(o));
}

type Dispatch = { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup; x: number; y: number };

// GPUBufferUsage / GPUMapMode values, spelled out so this module can be imported where WebGPU is absent (Node).
const MAP_READ = 0x1;
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const UNIFORM = 0x40;
const STORAGE = 0x80;
const MAP_MODE_READ = 0x1;

/**
 * The fragment on WebGPU: every buffer (weights, activations, gradients, the shard, batch indices, losses)
 * and every bind group is made once and reused by each step. A step is one compute pass — forward per
 * layer (bias + activation fused), softmax cross-entropy, mean loss, then per layer from the last: input
 * gradient (× activation derivative) and weight + bias gradient with the SGD update fused — preceded by a
 * copy of the step's batch indices; K steps go to the GPU in one submission.
 */
export class WebGpuTrainer {
  private readonly layers: LayerSlice[];
  private readonly paramCount: number;
  private readonly weightsBuf: GPUBuffer;
  private readonly acts: GPUBuffer[];
  private readonly grads: GPUBuffer[];
  private readonly batchIdx: GPUBuffer;
  private readonly rowLoss: GPUBuffer;
  private readonly lossOut: GPUBuffer;
  private readonly matmulParams: GPUBuffer;
  private readonly ceParams: GPUBuffer;
  private readonly buffers: GPUBuffer[] = [];
  private features?: GPUBuffer;
  private labels?: GPUBuffer;
  private rows = 0;
  private order?: GPUBuffer;
  private losses?: GPUBuffer;
  private capacity = 0;
  private dispatches: Dispatch[] = [];
  private lr = NaN;

  constructor(
    readonly ctx: GpuContext,
    readonly spec: MlpSpec,
    readonly batch: number,
  ) {
    this.layers = layerSlices(spec);
    this.paramCount = this.layers.reduce((n, s) => n + (s.inputs + 1) * s.outputs, 0);
    this.weightsBuf = this.buffer(this.paramCount * 4, STORAGE | COPY_DST | COPY_SRC);
    this.acts = spec.layers.map((n, l) => (l === 0 ? this.weightsBuf : this.buffer(batch * n * 4, STORAGE)));
    this.grads = spec.layers.map((n, l) => (l === 0 ? this.weightsBuf : this.buffer(batch * n * 4, STORAGE)));
    this.batchIdx = this.buffer(batch * 4, STORAGE | COPY_DST);
    this.rowLoss = this.buffer(batch * 4, STORAGE);
    this.lossOut = this.buffer(4, STORAGE | COPY_SRC);
    // 256 bytes per matmul dispatch (the uniform offset alignment): forward, backward-input, backward-weights per layer.
    this.matmulParams = this.buffer(this.layers.length * 3 * 256, UNIFORM | COPY_DST);
    this.ceParams = this.buffer(16, UNIFORM | COPY_DST);
    const ce = new ArrayBuffer(16);
    new Uint32Array(ce, 0, 2).set([batch, spec.layers[spec.layers.length - 1]]);
    new Float32Array(ce, 8, 1)[0] = 1 / batch;
    ctx.device.queue.writeBuffer(this.ceParams, 0, ce);
  }

  private buffer(size: number, usage: number): GPUBuffer {
    const b = this.ctx.device.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    this.buffers.push(b);
    return b;
  }

  setShard(shard: Shard): void {
    this.features?.destroy();
    this.labels?.destroy();
    this.rows = shard.labels.length;
    this.features = this.buffer(shard.features.byteLength, STORAGE | COPY_DST);
    this.labels = this.buffer(this.rows * 4, STORAGE | COPY_DST);
    upload(this.ctx.device, this.features, shard.features);
    this.ctx.device.queue.writeBuffer(this.labels, 0, Uint32Array.from(shard.labels));
    this.dispatches = [];
  }

  setWeights(weights: Float32Array): void {
    upload(this.ctx.device, this.weightsBuf, weights);
  }

  private writeParams(lr: number): void {
    const b = this.batch;
    const data = new ArrayBuffer(this.layers.length * 3 * 256);
    this.layers.forEach((s, l) => {
      const rows: [number, number, number][] = [
        [b, s.outputs, s.inputs], // forward
        [b, s.inputs, s.outputs], // backward-input
        [s.inputs + 1, s.outputs, b], // backward-weights
      ];
      rows.forEach(([m, n, k], v) => {
        const base = (l * 3 + v) * 256;
        new Uint32Array(data, base, 4).set([m, n, k, s.offset]);
        new Float32Array(data, base + 16, 1)[0] = lr;
        new Uint32Array(data, base + 20, 1)[0] = s.inputs;
      });
    });
    this.ctx.device.queue.writeBuffer(this.matmulParams, 0, data);
    this.lr = lr;
  }

  private bind(p: GPUComputePipeline, entries: [number, GPUBuffer, number?, number?][]): GPUBindGroup {
    return this.ctx.device.createBindGroup({
      layout: p.getBindGroupLayout(0),
      entries: entries.map(([binding, buffer, offset, size]) => ({ binding, resource: { buffer, offset, size } })),
    });
  }

  private buildDispatches(): void {
    const { device } = this.ctx;
    const { spec, layers, batch: b } = this;
    if (!this.features || !this.labels) throw new Error("setShard first");
    const last = layers.length;
    const params = (l: number, v: number): [number, GPUBuffer, number, number] => [0, this.matmulParams, (l * 3 + v) * 256, 32];
    const ds: Dispatch[] = [];
    const grid = (m: number, n: number) => ({ x: Math.ceil(n / MATMUL_TILE.cols), y: Math.ceil(m / MATMUL_TILE.rows) });
    layers.forEach((s, l) => {
      const gather = l === 0;
      const p = matmulPipeline(device, { kind: "forward", activation: l === last - 1 ? "none" : spec.activation, gather });
      const entries: [number, GPUBuffer, number?, number?][] = [params(l, 0), [1, gather ? this.features! : this.acts[l]], [2, this.weightsBuf], [3, this.acts[l + 1]]];
      if (gather) entries.push([4, this.batchIdx]);
      ds.push({ pipeline: p, bindGroup: this.bind(p, entries), ...grid(b, s.outputs) });
    });
    const ce = pipeline(device, "softmax-ce", () => softmaxCrossEntropyWgsl);
    ds.push({
      pipeline: ce,
      bindGroup: this.bind(ce, [[0, this.ceParams], [1, this.acts[last]], [2, this.labels], [3, this.batchIdx], [4, this.grads[last]], [5, this.rowLoss]]),
      x: Math.ceil(b / 64),
      y: 1,
    });
    const lr = pipeline(device, "loss-reduce", () => lossReduceWgsl);
    ds.push({ pipeline: lr, bindGroup: this.bind(lr, [[0, this.ceParams], [1, this.rowLoss], [2, this.lossOut]]), x: 1, y: 1 });
    for (let l = last - 1; l >= 0; l--) {
      const s = layers[l];
      if (l > 0) {
        const p = matmulPipeline(device, { kind: "backward-input", activation: spec.activation, gather: false });
        ds.push({
          pipeline: p,
          bindGroup: this.bind(p, [params(l, 1), [1, this.grads[l + 1]], [2, this.weightsBuf], [3, this.grads[l]], [5, this.acts[l]]]),
          ...grid(b, s.inputs),
        });
      }
      const gather = l === 0;
      const p = matmulPipeline(device, { kind: "backward-weights", activation: "none", gather });
      const entries: [number, GPUBuffer, number?, number?][] = [params(l, 2), [1, gather ? this.features! : this.acts[l]], [2, this.grads[l + 1]], [3, this.weightsBuf]];
      if (gather) entries.push([4, this.batchIdx]);
      ds.push({ pipeline: p, bindGroup: this.bind(p, entries), ...grid(s.inputs + 1, s.outputs) });
    }
    this.dispatches = ds;
  }

  /** Runs one step per B indices of `order` and resolves to each step's mean loss. */
  async run(order: Uint32Array, lr: number): Promise<Float32Array> {
    const { device } = this.ctx;
    const b = this.batch;
    const steps = order.length / b;
    for (const r of order) if (r >= this.rows) throw new RangeError(`row ${r} is outside the shard`);
    if (order.length > this.capacity) {
      this.order?.destroy();
      this.losses?.destroy();
      this.order = this.buffer(order.byteLength, COPY_SRC | COPY_DST);
      this.losses = this.buffer(steps * 4, COPY_SRC | COPY_DST);
      this.capacity = order.length;
    }
    if (this.dispatches.length === 0) this.buildDispatches();
    if (lr !== this.lr) this.writeParams(lr);
    device.queue.writeBuffer(this.order!, 0, Uint32Array.from(order));
    const enc = device.createCommandEncoder();
    for (let t = 0; t < steps; t++) {
      enc.copyBufferToBuffer(this.order!, t * b * 4, this.batchIdx, 0, b * 4);
      const pass = enc.beginComputePass();
      for (const d of this.dispatches) {
        pass.setPipeline(d.pipeline);
        pass.setBindGroup(0, d.bindGroup);
        pass.dispatchWorkgroups(d.x, d.y);
      }
      pass.end();
      enc.copyBufferToBuffer(this.lossOut, 0, this.losses!, t * 4, 4);
    }
    const read = device.createBuffer({ size: steps * 4, usage: MAP_READ | COPY_DST });
    enc.copyBufferToBuffer(this.losses!, 0, read, 0, steps * 4);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(MAP_MODE_READ);
    const losses = new Float32Array(read.getMappedRange().slice(0));
    read.destroy();
    return losses;
  }

  async weights(): Promise<Float32Array> {
    return readBuffer(this.ctx.device, this.weightsBuf, this.paramCount * 4).then((b) => new Float32Array(b));
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}

/** Typed arrays of any backing (the lib types widen to SharedArrayBuffer) into a GPU buffer, without a copy. */
function upload(device: GPUDevice, buffer: GPUBuffer, data: ArrayBufferView): void {
  device.queue.writeBuffer(buffer, 0, data as ArrayBufferView<ArrayBuffer>);
}

async function readBuffer(device: GPUDevice, src: GPUBuffer, size: number): Promise<ArrayBuffer> {
  const read = device.createBuffer({ size, usage: MAP_READ | COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, read, 0, size);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(MAP_MODE_READ);
  const out = read.getMappedRange().slice(0);
  read.destroy();
  return out;
}

export class WebGpuUnavailableError extends Error {
  constructor() {
    super("WebGPU is not available on this device");
    this.name = "WebGpuUnavailableError";
  }
}

/** The fragment on WebGPU; results differ from the reference by rounding only (see docs/concepts/compute.md: tolerance figures). */
export async function runFragmentWebGpu(input: FragmentInput, ctx?: GpuContext): Promise<FragmentResult> {
  validateFragment(input);
  const g = ctx ?? (await getGpu());
  if (!g) throw new WebGpuUnavailableError();
  const trainer = new WebGpuTrainer(g, input.spec, input.batch);
  try {
    trainer.setShard(input.shard);
    trainer.setWeights(input.weights);
    const stepLosses = await trainer.run(batchIndices(input.seed, input.shard.labels.length, input.steps, input.batch), input.lr);
    return { delta: weightDelta(await trainer.weights(), input.weights), meanLoss: meanOf(stepLosses), stepLosses };
  } finally {
    trainer.destroy();
  }
}

/** Compute-PoC product on WebGPU (u32, wrapping — exact). */
export async function pocProductWebGpu(a: Uint32Array, b: Uint32Array, n: number, ctx?: GpuContext): Promise<Uint32Array> {
  const g = ctx ?? (await getGpu());
  if (!g) throw new WebGpuUnavailableError();
  const { device } = g;
  const mk = (data: Uint32Array | null, usage: number) => {
    const buf = device.createBuffer({ size: Math.max(16, n * n * 4), usage });
    if (data) device.queue.writeBuffer(buf, 0, Uint32Array.from(data));
    return buf;
  };
  const pa = mk(a, STORAGE | COPY_DST);
  const pb = mk(b, STORAGE | COPY_DST);
  const pc = mk(null, STORAGE | COPY_SRC);
  const params = device.createBuffer({ size: 16, usage: UNIFORM | COPY_DST });
  device.queue.writeBuffer(params, 0, Uint32Array.from([n, 0, 0, 0]));
  const p = pipeline(device, "poc-matmul", () => pocMatmulWgsl);
  const bindGroup = device.createBindGroup({
    layout: p.getBindGroupLayout(0),
    entries: [params, pa, pb, pc].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(p);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(Math.ceil(n / TILE), Math.ceil(n / TILE));
  pass.end();
  device.queue.submit([enc.finish()]);
  const out = new Uint32Array(await readBuffer(device, pc, n * n * 4));
  for (const buf of [pa, pb, pc, params]) buf.destroy();
  return out;
}
