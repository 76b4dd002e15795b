import { meanOf, validateFragment, weightDelta, type FragmentInput, type FragmentResult, type Shard } from "../fragment";
import { layerSlices, type MlpSpec } from "../model";
import { batchIndices } from "../prng";
import { kernelsWasmBase64 } from "./kernels-wasm";

type Ptr = number;
type KernelExports = {
  memory: WebAssembly.Memory;
  matmul(a: Ptr, b: Ptr, c: Ptr, m: number, k: number, n: number): void;
  transpose(src: Ptr, dst: Ptr, rows: number, cols: number): void;
  biasActivation(z: Ptr, bias: Ptr, m: number, n: number, act: number): void;
  activationGrad(g: Ptr, a: Ptr, count: number, act: number): void;
  columnSum(dz: Ptr, out: Ptr, m: number, n: number): void;
  sgdUpdate(w: Ptr, g: Ptr, count: number, lr: number): void;
  softmaxCrossEntropy(z: Ptr, labels: Ptr, dz: Ptr, rowLoss: Ptr, e: Ptr, rows: number, classes: number, invB: number): void;
  lossReduce(rowLoss: Ptr, rows: number, invB: number): number;
  gather(src: Ptr, srcLabels: Ptr, idx: Ptr, dst: Ptr, dstLabels: Ptr, count: number, cols: number): void;
  pocMatmul(a: Ptr, b: Ptr, c: Ptr, n: number): void;
};

let compiled: Promise<WebAssembly.Module> | undefined;

/** Compiles the kernels once per process (or page); each `WasmKernels` gets its own instance and memory. */
function compileKernels(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(Uint8Array.from(atob(kernelsWasmBase64), (ch) => ch.charCodeAt(0)));
  return compiled;
}

// The first 64 KiB page is left to AssemblyScript's own statics.
const ARENA_START = 65536;

/** An instance of the WASM kernels with a bump allocator over its memory. */
export class WasmKernels {
  private top = ARENA_START;
  private constructor(readonly k: KernelExports) {}

  static async create(): Promise<WasmKernels> {
    const instance = await WebAssembly.instantiate(await compileKernels(), {
      env: {
        exp: Math.exp,
        log: Math.log,
        tanh: Math.tanh,
        abort: () => {
          throw new Error("wasm kernels aborted");
        },
      },
    });
    return new WasmKernels(instance.exports as unknown as KernelExports);
  }

  reset(): void {
    this.top = ARENA_START;
  }

  /** Reserves bytes (16-byte aligned), growing memory; views made before an alloc may be detached after it. */
  alloc(bytes: number): Ptr {
    const p = this.top;
    this.top += Math.ceil(bytes / 16) * 16;
    const have = this.k.memory.buffer.byteLength;
    if (this.top > have) this.k.memory.grow(Math.ceil((this.top - have) / 65536));
    return p;
  }

  f32(p: Ptr, length: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, p, length);
  }

  u32(p: Ptr, length: number): Uint32Array {
    return new Uint32Array(this.k.memory.buffer, p, length);
  }
}

const ACT = { none: 0, relu: 1, tanh: 2 } as const;

/** Buffers for one model shape and batch, reused across steps (and across fragments of the same shape). */
export class WasmTrainer {
  private readonly layers;
  private readonly w: Ptr;
  private readonly acts: Ptr[];
  private readonly grads: Ptr[];
  private readonly at: Ptr;
  private readonly wt: Ptr;
  private readonly g: Ptr;
  private readonly rowLoss: Ptr;
  private readonly e: Ptr;
  private readonly batchLabels: Ptr;
  private features: Ptr = 0;
  private labels: Ptr = 0;
  private rows = 0;
  private idx: Ptr = 0;
  private idxCapacity = 0;
  private readonly paramCount: number;

  constructor(
    private readonly kernels: WasmKernels,
    readonly spec: MlpSpec,
    readonly batch: number,
  ) {
    kernels.reset();
    this.layers = layerSlices(spec);
    this.paramCount = this.layers.reduce((n, s) => n + (s.inputs + 1) * s.outputs, 0);
    const b = batch;
    this.w = kernels.alloc(this.paramCount * 4);
    this.acts = spec.layers.map((n) => kernels.alloc(b * n * 4));
    this.grads = spec.layers.map((n) => kernels.alloc(b * n * 4));
    const maxIn = Math.max(...this.layers.map((s) => s.inputs));
    const maxW = Math.max(...this.layers.map((s) => (s.inputs + 1) * s.outputs));
    this.at = kernels.alloc(maxIn * b * 4);
    this.wt = kernels.alloc(maxW * 4);
    this.g = kernels.alloc(maxW * 4);
    this.rowLoss = kernels.alloc(b * 4);
    this.e = kernels.alloc(spec.layers[spec.layers.length - 1] * 4);
    this.batchLabels = kernels.alloc(b * 4);
  }

  /** Copies a shard into WASM memory (once per shard). */
  setShard(shard: Shard): void {
    this.rows = shard.labels.length;
    this.features = this.kernels.alloc(shard.features.length * 4);
    this.labels = this.kernels.alloc(this.rows * 4);
    this.kernels.f32(this.features, shard.features.length).set(shard.features);
    this.kernels.u32(this.labels, this.rows).set(shard.labels);
  }

  setWeights(weights: Float32Array): void {
    this.kernels.f32(this.w, this.paramCount).set(weights);
  }

  weights(): Float32Array {
    return this.kernels.f32(this.w, this.paramCount).slice();
  }

  /** Runs one step per B indices in `order`; returns each step's mean loss. */
  run(order: Uint32Array, lr: number): Float32Array {
    const b = this.batch;
    const steps = order.length / b;
    if (order.length > this.idxCapacity) {
      this.idx = this.kernels.alloc(order.length * 4);
      this.idxCapacity = order.length;
    }
    this.kernels.u32(this.idx, order.length).set(order);
    for (const r of order) if (r >= this.rows) throw new RangeError(`row ${r} is outside the shard`);
    const k = this.kernels.k;
    const { spec, layers, acts, grads } = this;
    const invB = Math.fround(1 / b);
    const classes = spec.layers[spec.layers.length - 1];
    const losses = new Float32Array(steps);
    const act = ACT[spec.activation];
    for (let t = 0; t < steps; t++) {
      k.gather(this.features, this.labels, this.idx + t * b * 4, acts[0], this.batchLabels, b, spec.layers[0]);
      layers.forEach((s, l) => {
        k.matmul(acts[l], this.w + s.offset * 4, acts[l + 1], b, s.inputs, s.outputs);
        k.biasActivation(acts[l + 1], this.w + s.biasOffset * 4, b, s.outputs, l === layers.length - 1 ? ACT.none : act);
      });
      const last = layers.length;
      k.softmaxCrossEntropy(acts[last], this.batchLabels, grads[last], this.rowLoss, this.e, b, classes, invB);
      losses[t] = k.lossReduce(this.rowLoss, b, invB);
      for (let l = last - 1; l >= 0; l--) {
        const s = layers[l];
        if (l > 0) {
          k.transpose(this.w + s.offset * 4, this.wt, s.inputs, s.outputs);
          k.matmul(grads[l + 1], this.wt, grads[l], b, s.outputs, s.inputs);
          k.activationGrad(grads[l], acts[l], b * s.inputs, act);
        }
        k.transpose(acts[l], this.at, b, s.inputs);
        k.matmul(this.at, grads[l + 1], this.g, s.inputs, b, s.outputs);
        k.columnSum(grads[l + 1], this.g + s.inputs * s.outputs * 4, b, s.outputs);
        k.sgdUpdate(this.w + s.offset * 4, this.g, (s.inputs + 1) * s.outputs, lr);
      }
    }
    return losses;
  }
}

/** The fragment on the fast CPU path (WebAssembly SIMD); bit-identical to `runFragmentReference`. */
export async function runFragmentWasm(input: FragmentInput): Promise<FragmentResult> {
  validateFragment(input);
  // One instance per call: concurrent fragments never share an arena.
  const trainer = new WasmTrainer(await WasmKernels.create(), input.spec, input.batch);
  trainer.setShard(input.shard);
  trainer.setWeights(input.weights);
  const stepLosses = trainer.run(batchIndices(input.seed, input.shard.labels.length, input.steps, input.batch), input.lr);
  return { delta: weightDelta(trainer.weights(), input.weights), meanLoss: meanOf(stepLosses), stepLosses };
}

/** Compute-PoC product on the WASM path. */
export async function pocProductWasm(a: Uint32Array, b: Uint32Array, n: number): Promise<Uint32Array> {
  const kernels = await WasmKernels.create();
  const pa = kernels.alloc(n * n * 4);
  const pb = kernels.alloc(n * n * 4);
  const pc = kernels.alloc(n * n * 4);
  kernels.u32(pa, n * n).set(a);
  kernels.u32(pb, n * n).set(b);
  kernels.k.pocMatmul(pa, pb, pc, n);
  return kernels.u32(pc, n * n).slice();
}
