// Browser entry of the GPT kernels lab: runs each GPT WGSL kernel on seeded random inputs and compares its
// output with the kernel's CPU reference (lib/compute/kernels/<name>.ts). e2e/compute/gpt-kernels.spec.ts
// drives it through page.evaluate; everything heavy runs here, in the page, and only the figures go back.
/// <reference types="@webgpu/types" />
import { compareWeights } from "@/lib/compute/compare";
import { adamBiasCorrections, adamwUpdateRef, clipScaleRef, scaleRef } from "@/lib/compute/kernels/adamw";
import { adamwParams, adamwUpdateWgsl, CLIP_CHUNK, clipPartialsWgsl, clipScaleWgsl } from "@/lib/compute/kernels/adamw.wgsl";
import { attentionBackwardRef, attentionForwardRef, attentionScale } from "@/lib/compute/kernels/attention";
import { attentionBackwardKeyValueWgsl, attentionBackwardQueryWgsl, attentionForwardWgsl } from "@/lib/compute/kernels/attention.wgsl";
import { embeddingBackwardRef, embeddingForwardRef } from "@/lib/compute/kernels/embedding";
import { embeddingBackwardWgsl, embeddingForwardWgsl, gatherTokensWgsl } from "@/lib/compute/kernels/embedding.wgsl";
import { geluBackwardRef, geluForwardRef } from "@/lib/compute/kernels/gelu";
import { geluBackwardWgsl, geluForwardWgsl } from "@/lib/compute/kernels/gelu.wgsl";
import { flatGrid } from "@/lib/compute/kernels/gpt-common.wgsl";
import { layerNormBackwardRef, layerNormForwardRef } from "@/lib/compute/kernels/layernorm";
import { layerNormBackwardWgsl, layerNormForwardWgsl } from "@/lib/compute/kernels/layernorm.wgsl";
import { linearGrid, linearWgsl } from "@/lib/compute/kernels/linear.wgsl";
import { columnSumRef, matmulRef, transposeRef } from "@/lib/compute/kernels/matmul";
import { hash32 } from "@/lib/compute/prng";
import { getGpu, pipeline } from "@/lib/compute/webgpu";
import { runGptFragmentWebGpu } from "@/lib/compute/webgpu/gpt";
import { initGptWeights, type GptSpec } from "@/lib/compute/gpt/model";
import { runGptFragmentReference } from "@/lib/compute/gpt/reference";

const f = Math.fround;

/** How far a kernel's output is from its reference; exact = bit-identical. */
export type KernelDiff = { relativeL2: number; maxAbs: number; maxRef: number; exact: boolean; n: number };

function diff(got: ArrayLike<number>, ref: ArrayLike<number>): KernelDiff {
  const g = Float32Array.from(got);
  const r = Float32Array.from(ref);
  const { relativeL2, maxAbs } = compareWeights(g, r);
  let maxRef = 0;
  for (const v of r) maxRef = Math.max(maxRef, Math.abs(v));
  return { relativeL2, maxAbs, maxRef, exact: g.every((v, i) => Object.is(v, r[i])), n: r.length };
}

/** Seeded uniform values in [lo, hi). */
function rand(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hash32(seed, 7, i) / 4294967296) * (hi - lo)));
}

function ints(seed: number, n: number, below: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => hash32(seed, 8, i) % below);
}

/** Uniform params: plain numbers are u32, { f } is an f32; padded to 16 bytes. */
function params(values: (number | { f: number })[]): ArrayBuffer {
  const buf = new ArrayBuffer(Math.max(16, Math.ceil((values.length * 4) / 16) * 16));
  const dv = new DataView(buf);
  values.forEach((v, i) => (typeof v === "number" ? dv.setUint32(i * 4, v, true) : dv.setFloat32(i * 4, v.f, true)));
  return buf;
}

type Step = { key: string; code: string; params: ArrayBuffer; bind: string[]; grid: { x: number; y: number } };

/**
 * Runs `steps` in order in one compute pass over named buffers (binding i + 1 of a step = bind[i];
 * binding 0 = its params) and reads back the named outputs.
 */
async function runSteps(buffers: Record<string, Float32Array | Uint32Array>, steps: Step[], read: string[]): Promise<Record<string, Float32Array>> {
  const g = await getGpu();
  if (!g) throw new Error("no WebGPU");
  const { device } = g;
  const bufs = new Map<string, GPUBuffer>();
  for (const [name, data] of Object.entries(buffers)) {
    const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    device.queue.writeBuffer(b, 0, data as Float32Array<ArrayBuffer>);
    bufs.set(name, b);
  }
  const temp: GPUBuffer[] = [];
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  for (const s of steps) {
    const p = pipeline(device, `gpt-lab:${s.key}`, () => s.code);
    const u = device.createBuffer({ size: s.params.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(u, 0, s.params);
    temp.push(u);
    const entries = [{ binding: 0, resource: { buffer: u } }, ...s.bind.map((name, i) => ({ binding: i + 1, resource: { buffer: bufs.get(name)! } }))];
    pass.setPipeline(p);
    pass.setBindGroup(0, device.createBindGroup({ layout: p.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(s.grid.x, s.grid.y);
  }
  pass.end();
  const reads = read.map((name) => {
    const size = Math.max(16, buffers[name].byteLength);
    const r = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    enc.copyBufferToBuffer(bufs.get(name)!, 0, r, 0, size);
    return r;
  });
  device.queue.submit([enc.finish()]);
  const out: Record<string, Float32Array> = {};
  for (const [i, r] of reads.entries()) {
    await r.mapAsync(GPUMapMode.READ);
    const data = r.getMappedRange().slice(0, buffers[read[i]].byteLength);
    out[read[i]] = buffers[read[i]] instanceof Uint32Array ? Float32Array.from(new Uint32Array(data)) : new Float32Array(data);
    r.destroy();
  }
  for (const b of [...bufs.values(), ...temp]) b.destroy();
  return out;
}

const cat = (...parts: Float32Array[]) => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
};

async function embedding(seed: number) {
  const [B, T, D, V, TMAX] = [3, 5, 7, 11, 6];
  const N = B * T;
  const tokens = ints(seed, N, V);
  const wte = rand(seed + 1, V * D);
  const wpe = rand(seed + 2, TMAX * D);
  const out = new Float32Array(N * D);
  embeddingForwardRef(tokens, wte, wpe, out, B, T, D);
  const fwd = await runSteps(
    { tokens, w: cat(wte, wpe), o: new Float32Array(N * D) },
    [{ key: "emb-f", code: embeddingForwardWgsl, params: params([N, T, D, 0, V * D]), bind: ["tokens", "w", "o"], grid: flatGrid(N * D) }],
    ["o"],
  );
  const dout = rand(seed + 3, N * D);
  const dwte = rand(seed + 4, V * D);
  const dwpe = rand(seed + 5, TMAX * D);
  const g0 = cat(dwte, dwpe);
  embeddingBackwardRef(tokens, dout, dwte, dwpe, B, T, D);
  const bwd = await runSteps(
    { tokens, dout, g: g0 },
    [{ key: "emb-b", code: embeddingBackwardWgsl, params: params([N, T, D, 0, V * D, V]), bind: ["tokens", "dout", "g"], grid: flatGrid((V + T) * D) }],
    ["g"],
  );
  // The batch gather: rows of T+1 tokens picked by idx → inputs and targets.
  const rows = 7;
  const shard = ints(seed + 6, rows * (T + 1), V);
  const idx = ints(seed + 7, B, rows);
  const gx = new Float32Array(N);
  const gy = new Float32Array(N);
  for (let p = 0; p < N; p++) {
    gx[p] = shard[idx[Math.floor(p / T)] * (T + 1) + (p % T)];
    gy[p] = shard[idx[Math.floor(p / T)] * (T + 1) + (p % T) + 1];
  }
  const gat = await runSteps(
    { shard, idx, x: new Uint32Array(N), y: new Uint32Array(N) },
    [{ key: "gather", code: gatherTokensWgsl, params: params([N, T, T + 1]), bind: ["shard", "idx", "x", "y"], grid: flatGrid(N) }],
    ["x", "y"],
  );
  return { forward: diff(fwd.o, out), backward: diff(bwd.g, cat(dwte, dwpe)), gather: diff(cat(gat.x, gat.y), cat(gx, gy)) };
}

async function layerNorm(seed: number) {
  const [N, D] = [9, 13];
  const x = rand(seed, N * D, -2, 3);
  const gamma = rand(seed + 1, D, 0.5, 1.5);
  const beta = rand(seed + 2, D);
  const out = new Float32Array(N * D);
  const mean = new Float32Array(N);
  const rstd = new Float32Array(N);
  layerNormForwardRef(x, gamma, beta, out, mean, rstd, N, D);
  const fwd = await runSteps(
    { x, w: cat(gamma, beta), o: new Float32Array(N * D), mean: new Float32Array(N), rstd: new Float32Array(N) },
    [{ key: "ln-f", code: layerNormForwardWgsl, params: params([N, D, 0, D]), bind: ["x", "w", "o", "mean", "rstd"], grid: flatGrid(N) }],
    ["o", "mean", "rstd"],
  );
  const dout = rand(seed + 3, N * D);
  const dg = rand(seed + 4, D);
  const db = rand(seed + 5, D);
  const g0 = cat(dg, db);
  const dx = new Float32Array(N * D);
  layerNormBackwardRef(dout, x, mean, rstd, gamma, dx, dg, db, N, D);
  const dres = rand(seed + 6, N * D);
  const bwd = async (accumulate: boolean) =>
    runSteps(
      { dout, x, mean, rstd, w: gamma, dx: accumulate ? dres : new Float32Array(N * D), g: g0 },
      [
        {
          key: `ln-b-${accumulate}`,
          code: layerNormBackwardWgsl({ accumulate }),
          params: params([N, D, 0, 0, D]),
          bind: ["dout", "x", "mean", "rstd", "w", "dx", "g"],
          grid: flatGrid(N + D),
        },
      ],
      ["dx", "g"],
    );
  const b0 = await bwd(false);
  const b1 = await bwd(true);
  return {
    forward: diff(fwd.o, out),
    mean: diff(fwd.mean, mean),
    rstd: diff(fwd.rstd, rstd),
    backwardDx: diff(b0.dx, dx),
    backwardParams: diff(b0.g, cat(dg, db)),
    backwardResidual: diff(b1.dx, Float32Array.from(dx, (v, i) => f(dres[i] + v))),
  };
}

async function attention(seed: number) {
  const [B, T, D, H] = [2, 5, 12, 3];
  const N = B * T;
  const qkv = rand(seed, N * 3 * D, -1.5, 1.5);
  const out = new Float32Array(N * D);
  const probs = new Float32Array(B * H * T * T);
  attentionForwardRef(qkv, out, probs, B, T, D, H);
  const p = params([B, T, D, H, D / H, { f: attentionScale(D, H) }]);
  const fwd = await runSteps(
    { qkv, o: new Float32Array(N * D), probs: new Float32Array(B * H * T * T) },
    [{ key: "att-f", code: attentionForwardWgsl, params: p, bind: ["qkv", "o", "probs"], grid: flatGrid(B * H * T) }],
    ["o", "probs"],
  );
  const dout = rand(seed + 1, N * D);
  const dqkv = new Float32Array(N * 3 * D);
  attentionBackwardRef(dout, qkv, probs, dqkv, B, T, D, H);
  const bind = ["dout", "qkv", "probs", "dqkv", "ds"];
  const bwd = await runSteps(
    { dout, qkv, probs, dqkv: rand(seed + 2, N * 3 * D), ds: new Float32Array(B * H * T * T) },
    [
      { key: "att-bq", code: attentionBackwardQueryWgsl, params: p, bind, grid: flatGrid(B * H * T) },
      { key: "att-bkv", code: attentionBackwardKeyValueWgsl, params: p, bind, grid: flatGrid(B * H * T) },
    ],
    ["dqkv"],
  );
  return { forward: diff(fwd.o, out), probs: diff(fwd.probs, probs), backward: diff(bwd.dqkv, dqkv) };
}

async function gelu(seed: number) {
  const x = cat(rand(seed, 997, -6, 6), Float32Array.from([0, -0, 1e-4, -1e-4, 9, -9, 12, -12, 30, -30, 100, -100]));
  const n = x.length;
  const out = new Float32Array(n);
  geluForwardRef(x, out, n);
  const dout = rand(seed + 1, n);
  const dx = new Float32Array(n);
  geluBackwardRef(x, dout, dx, n);
  const r = await runSteps(
    { x, o: new Float32Array(n), dout, dx: new Float32Array(n) },
    [
      { key: "gelu-f", code: geluForwardWgsl, params: params([n]), bind: ["x", "o"], grid: flatGrid(n) },
      { key: "gelu-b", code: geluBackwardWgsl, params: params([n]), bind: ["x", "dout", "dx"], grid: flatGrid(n) },
    ],
    ["o", "dx"],
  );
  return { forward: diff(r.o, out), backward: diff(r.dx, dx) };
}

async function clip(seed: number, magnitude: number) {
  const n = 3001;
  const g = rand(seed, n, -magnitude, magnitude);
  const chunks = Math.ceil(n / CLIP_CHUNK);
  const p = params([n, CLIP_CHUNK, chunks]);
  const r = await runSteps(
    { g, partial: new Float32Array(chunks), scale: new Float32Array(2) },
    [
      { key: "clip-p", code: clipPartialsWgsl, params: p, bind: ["g", "partial"], grid: flatGrid(chunks) },
      { key: "clip-s", code: clipScaleWgsl, params: p, bind: ["partial", "scale"], grid: { x: 1, y: 1 } },
    ],
    ["scale"],
  );
  return diff([r.scale[0]], [clipScaleRef(g)]);
}

async function adamw(seed: number, scale: number) {
  const n = 1003;
  const [step, lr, wd] = [3, 1e-3, 0.1];
  const w = rand(seed, n);
  const g = rand(seed + 1, n, -0.5, 0.5);
  const m = rand(seed + 2, n, -0.1, 0.1);
  const v = rand(seed + 3, n, 0, 0.01);
  const decay = Uint8Array.from(ints(seed + 4, n, 2));
  const r = await runSteps(
    { w: w.slice(), g: g.slice(), m: m.slice(), v: v.slice(), decay: Uint32Array.from(decay), scale: Float32Array.from([scale, 0]) },
    [{ key: "adamw", code: adamwUpdateWgsl, params: adamwParams({ n, lr, wd, step }), bind: ["w", "g", "m", "v", "decay", "scale"], grid: flatGrid(n) }],
    ["w", "m", "v"],
  );
  const gs = g.slice();
  scaleRef(gs, scale);
  adamwUpdateRef(w, gs, m, v, decay, step, lr, wd, n);
  const { bc1, bc2 } = adamBiasCorrections(step);
  const host = new Float32Array(adamwParams({ n, lr, wd, step }), 4, 9);
  return { w: diff(r.w, w), m: diff(r.m, m), v: diff(r.v, v), biasCorrections: diff([host[7], host[8]], [bc1, bc2]) };
}

async function linear(seed: number) {
  const [M, K, N, OFF] = [37, 19, 23, 5];
  const a = rand(seed, M * K);
  // nn + bias: a·W + b, W (K×N) then bias at OFF in a flat buffer.
  const wb = rand(seed + 1, OFF + (K + 1) * N);
  const nn = new Float32Array(M * N);
  matmulRef(a, wb.subarray(OFF, OFF + K * N), nn, M, K, N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) nn[i * N + j] = f(nn[i * N + j] + wb[OFF + K * N + j]);
  // nn + bias + residual: res + (a·W + b), the residual stream's add.
  const res = rand(seed + 3, M * N);
  const nnr = Float32Array.from(nn, (z, i) => f(res[i] + z));
  // nt: a·Wᵀ with W (N×K).
  const wt = new Float32Array(K * N);
  transposeRef(wb.subarray(OFF, OFF + N * K), wt, N, K);
  const nt = new Float32Array(M * N);
  matmulRef(a, wt, nt, M, K, N);
  // tn + bias: aᵀ·dz (K×N) then the column sums of dz, written at OFF.
  const dz = rand(seed + 2, M * N);
  const at = new Float32Array(K * M);
  transposeRef(a, at, M, K);
  const tn = new Float32Array(OFF + (K + 1) * N);
  matmulRef(at, dz, tn.subarray(OFF), K, M, N);
  columnSumRef(dz, tn.subarray(OFF + K * N), M, N);
  const r = await runSteps(
    { a, w: wb, dz, res, nn: new Float32Array(M * N), nnr: new Float32Array(M * N), nt: new Float32Array(M * N), tn: new Float32Array(tn.length) },
    [
      { key: "lin-nn", code: linearWgsl("nn", true), params: params([M, N, K, OFF, 0]), bind: ["a", "w", "nn"], grid: linearGrid(M, N) },
      { key: "lin-nnr", code: linearWgsl("nn", true, true), params: params([M, N, K, OFF, 0]), bind: ["a", "w", "nnr", "res"], grid: linearGrid(M, N) },
      { key: "lin-nt", code: linearWgsl("nt", false), params: params([M, N, K, OFF, 0]), bind: ["a", "w", "nt"], grid: linearGrid(M, N) },
      { key: "lin-tn", code: linearWgsl("tn", true), params: params([K + 1, N, M, OFF, K]), bind: ["a", "dz", "tn"], grid: linearGrid(K + 1, N) },
    ],
    ["nn", "nnr", "nt", "tn"],
  );
  return { nn: diff(r.nn, nn), nnResidual: diff(r.nnr, nnr), nt: diff(r.nt, nt), tn: diff(r.tn.subarray(OFF), tn.subarray(OFF)) };
}

export type GptFragmentCase = Omit<GptSpec, "kind" | "tied"> & { rows: number; steps: number; batch: number; lr: number; seed: number };

/** One GPT fragment on the reference and on WebGPU from the same seeded weights and random token rows. */
async function fragment(c: GptFragmentCase) {
  const spec: GptSpec = { kind: "gpt", tied: true, layers: c.layers, heads: c.heads, dim: c.dim, context: c.context, vocab: c.vocab };
  const input = {
    spec,
    weights: initGptWeights(spec, c.seed),
    shard: { tokens: ints(c.seed + 1, c.rows * (c.context + 1), c.vocab) },
    steps: c.steps,
    batch: c.batch,
    lr: c.lr,
    seed: c.seed,
  };
  const ref = runGptFragmentReference(input);
  const gpu = await runGptFragmentWebGpu(input);
  // The same fragment cut into submissions of 1, 2, 3… steps (as a worker paces it): moments carried over.
  let calls = 0;
  const chunked = await runGptFragmentWebGpu(input, undefined, () => ++calls);
  const after = (d: Float32Array) => Float32Array.from(input.weights, (w, i) => w + d[i]);
  return {
    chunkedExact: chunked.delta.every((v, i) => Object.is(v, gpu.delta[i])) && chunked.stepLosses.every((v, i) => Object.is(v, gpu.stepLosses[i])),
    delta: compareWeights(gpu.delta, ref.delta),
    weights: compareWeights(after(gpu.delta), after(ref.delta)),
    deltaExact: gpu.delta.every((v, i) => Object.is(v, ref.delta[i])),
    stepLosses: { webgpu: Array.from(gpu.stepLosses), reference: Array.from(ref.stepLosses) },
    meanLoss: { webgpu: gpu.meanLoss, reference: ref.meanLoss },
  };
}

/** A fragment whose logits (B·T × V floats) cannot fit one storage binding: the error it fails with. */
async function oversized(): Promise<{ name: string; message: string } | null> {
  const spec: GptSpec = { kind: "gpt", tied: true, layers: 1, heads: 1, dim: 2, context: 256, vocab: 65536 };
  const input = { spec, weights: initGptWeights(spec, 1), shard: { tokens: new Uint32Array(257) }, steps: 1, batch: 1024, lr: 1e-3, seed: 1 };
  try {
    await runGptFragmentWebGpu(input);
    return null;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
}

const lab = {
  getGpu,
  fragment,
  oversized,
  checks: {
    embedding: () => embedding(101),
    layerNorm: () => layerNorm(202),
    attention: () => attention(303),
    gelu: () => gelu(404),
    clip: async () => ({ clipped: await clip(505, 0.2), unclipped: await clip(506, 1e-3) }),
    adamw: async () => ({ unscaled: await adamw(606, 1), scaled: await adamw(607, 0.37) }),
    linear: () => linear(707),
  },
};
export type GptLab = typeof lab;
(globalThis as unknown as { corexGpt: GptLab }).corexGpt = lab;
