/// <reference types="@webgpu/types" />
// The MLP's forward pass alone on WebGPU (the model registry's "Try it" panel): the trainer's forward
// matmul programs (bias and activation fused), one dispatch per layer, the logits read back.
import { MATMUL_TILE, matmulWgsl } from "../kernels/matmul";
import { layerSlices, parameterCount, type MlpSpec } from "../model";
import { getGpu, pipeline, WebGpuUnavailableError, type GpuContext } from ".";

// GPUBufferUsage / GPUMapMode values (see index.ts: this module must import where WebGPU is absent).
const MAP_READ = 0x1;
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const UNIFORM = 0x40;
const STORAGE = 0x80;
const MAP_MODE_READ = 0x1;

/** Weights uploaded once; each `logits` call makes the row-sized buffers it needs and frees them. */
export class MlpWebGpuPredictor {
  private readonly weights: GPUBuffer;

  private constructor(
    readonly ctx: GpuContext,
    readonly spec: MlpSpec,
    weights: Float32Array,
  ) {
    this.weights = ctx.device.createBuffer({ size: Math.max(16, weights.byteLength), usage: STORAGE | COPY_DST });
    ctx.device.queue.writeBuffer(this.weights, 0, weights as Float32Array<ArrayBuffer>);
  }

  /** Throws WebGpuUnavailableError where there is no adapter (the caller falls back to WASM). */
  static async create(spec: MlpSpec, weights: Float32Array, ctx?: GpuContext): Promise<MlpWebGpuPredictor> {
    const n = parameterCount(spec);
    if (weights.length !== n) throw new RangeError(`weights have ${weights.length} values, the model needs ${n}`);
    const g = ctx ?? (await getGpu());
    if (!g) throw new WebGpuUnavailableError();
    return new MlpWebGpuPredictor(g, spec, weights);
  }

  async logits(features: Float32Array, rows: number): Promise<Float32Array> {
    const { device } = this.ctx;
    const { spec } = this;
    if (features.length !== rows * spec.layers[0]) throw new RangeError(`expected ${rows}×${spec.layers[0]} features, got ${features.length}`);
    const layers = layerSlices(spec);
    const made: GPUBuffer[] = [];
    const buffer = (size: number, usage: number) => {
      const b = device.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage });
      made.push(b);
      return b;
    };
    const acts = spec.layers.map((n, l) => buffer(rows * n * 4, STORAGE | (l === 0 ? COPY_DST : l === layers.length ? COPY_SRC : 0)));
    device.queue.writeBuffer(acts[0], 0, features as Float32Array<ArrayBuffer>);
    // One 256-byte slot per layer (the uniform offset alignment): m, n, k, weight offset, lr (unused), inputs.
    const params = buffer(layers.length * 256, UNIFORM | COPY_DST);
    const data = new ArrayBuffer(layers.length * 256);
    layers.forEach((s, l) => {
      new Uint32Array(data, l * 256, 4).set([rows, s.outputs, s.inputs, s.offset]);
      new Uint32Array(data, l * 256 + 20, 1)[0] = s.inputs;
    });
    device.queue.writeBuffer(params, 0, data);
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    layers.forEach((s, l) => {
      const activation = l === layers.length - 1 ? "none" : spec.activation;
      // The trainer's cache key for the same program, so a page that trains and predicts compiles it once.
      const p = pipeline(device, `matmul:forward:${activation}:dense`, () => matmulWgsl({ kind: "forward", activation, gather: false }));
      const bindGroup = device.createBindGroup({
        layout: p.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: params, offset: l * 256, size: 32 } },
          { binding: 1, resource: { buffer: acts[l] } },
          { binding: 2, resource: { buffer: this.weights } },
          { binding: 3, resource: { buffer: acts[l + 1] } },
        ],
      });
      pass.setPipeline(p);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(Math.ceil(s.outputs / MATMUL_TILE.cols), Math.ceil(rows / MATMUL_TILE.rows));
    });
    pass.end();
    const size = rows * spec.layers[layers.length] * 4;
    const read = buffer(size, MAP_READ | COPY_DST);
    enc.copyBufferToBuffer(acts[layers.length], 0, read, 0, size);
    device.queue.submit([enc.finish()]);
    try {
      await read.mapAsync(MAP_MODE_READ);
      return new Float32Array(read.getMappedRange().slice(0, size));
    } finally {
      for (const b of made) b.destroy();
    }
  }

  destroy(): void {
    this.weights.destroy();
  }
}
