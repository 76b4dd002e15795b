// An MLP worker's maths written from docs/protocol alone, as an outside developer would: it imports nothing
// from lib/ (only Node's crypto and fs), decodes the vectors' blobs itself and must reproduce every MLP
// vector's delta sha-256 bit for bit. If this test fails after a change to the docs or the code, the spec no
// longer describes the reference.
import { describe, expect, it } from "vitest";
import { batchIndices as batchStream, f, f32le, fragmentSeed, fromF32le, hash32, load, lossBits, mix32, sha256, uniformBelow } from "./from-spec/common";

const batchIndices = (seed: number, n: number, k: number, b: number) => batchStream(seed, n, k * b);

// inputs.md: CXDS and normalisation; results.md: float32 little-endian
function decodeCxds(bytes: Uint8Array) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0, true) !== 0x53445843 || v.getUint32(4, true) !== 1) throw new Error("not CXDS v1");
  const [n, d] = [v.getUint32(8, true), v.getUint32(12, true)];
  if (bytes.byteLength !== 24 + 4 * n * d + 4 * n) throw new Error("CXDS length");
  const x = Array.from({ length: n * d }, (_, i) => v.getFloat32(24 + 4 * i, true));
  const y = Array.from({ length: n }, (_, i) => v.getUint32(24 + 4 * n * d + 4 * i, true));
  return { n, d, x, y };
}
const normalise = (x: number[], d: number, mean: number[], std: number[]) => x.map((v, i) => f((v - mean[i % d]!) / (std[i % d] || 1)));

// mlp.md
type Layer = { nIn: number; nOut: number; offset: number };
function layout(layers: number[]): { slices: Layer[]; count: number } {
  const slices: Layer[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    slices.push({ nIn: layers[l]!, nOut: layers[l + 1]!, offset });
    offset += (layers[l]! + 1) * layers[l + 1]!;
  }
  return { slices, count: offset };
}
function initWeights(layers: number[], activation: string, seed: number): Float32Array {
  const { slices, count } = layout(layers);
  const w = new Float32Array(count);
  slices.forEach((s, l) => {
    const a = activation === "relu" ? Math.sqrt(6 / s.nIn) : Math.sqrt(6 / (s.nIn + s.nOut));
    for (let i = 0; i < s.nIn * s.nOut; i++) w[s.offset + i] = f(((hash32(seed, l, i) / 2 ** 32) * 2 - 1) * a);
  });
  return w;
}

// gpt.md: the layout's slice lengths and decay flags in order, and initGptWeights
function gptInit(m: { layers: number; dim: number; context: number; vocab: number }, seed: number): Float32Array {
  const d = m.dim;
  const slices: { len: number; decay: boolean; kind: "w" | "residual" | "gain" | "zero" }[] = [
    { len: m.vocab * d, decay: true, kind: "w" }, { len: m.context * d, decay: true, kind: "w" },
  ];
  for (let l = 0; l < m.layers; l++) {
    slices.push(
      { len: d, decay: false, kind: "gain" }, { len: d, decay: false, kind: "zero" },
      { len: d * 3 * d, decay: true, kind: "w" }, { len: 3 * d, decay: false, kind: "zero" },
      { len: d * d, decay: true, kind: "residual" }, { len: d, decay: false, kind: "zero" },
      { len: d, decay: false, kind: "gain" }, { len: d, decay: false, kind: "zero" },
      { len: d * 4 * d, decay: true, kind: "w" }, { len: 4 * d, decay: false, kind: "zero" },
      { len: 4 * d * d, decay: true, kind: "residual" }, { len: d, decay: false, kind: "zero" },
    );
  }
  slices.push({ len: d, decay: false, kind: "gain" }, { len: d, decay: false, kind: "zero" });
  const w = new Float32Array(slices.reduce((n, s) => n + s.len, 0));
  const base = 0.02 * Math.sqrt(3);
  let offset = 0;
  slices.forEach((s, stream) => {
    const a = s.kind === "residual" ? base / Math.sqrt(2 * m.layers) : base;
    for (let i = 0; i < s.len; i++) {
      w[offset + i] = s.kind === "gain" ? 1 : s.decay ? f(((hash32(seed, stream, i) / 2 ** 32) * 2 - 1) * a) : 0;
    }
    offset += s.len;
  });
  return w;
}

type Fragment = { layers: number[]; activation: string; wr: Float32Array; x: number[]; y: number[]; k: number; b: number; lr: number; seed: number };
function runFragment(p: Fragment) {
  const { slices } = layout(p.layers);
  const L = slices.length;
  const w = Float32Array.from(p.wr);
  const d0 = p.layers[0]!;
  const order = batchIndices(p.seed, p.y.length, p.k, p.b);
  const invB = f(1 / p.b);
  const r = f(p.lr);
  const stepLoss: number[] = [];
  const W = (s: Layer, k: number, j: number) => w[s.offset + k * s.nOut + j]!;
  for (let t = 0; t < p.k; t++) {
    const rows = order.slice(t * p.b, (t + 1) * p.b);
    const A: number[][][] = [rows.map((row) => p.x.slice(row * d0, (row + 1) * d0))];
    const Y = rows.map((row) => p.y[row]!);
    slices.forEach((s, l) => {
      A.push(A[l]!.map((a) => Array.from({ length: s.nOut }, (_, j) => {
        let z = 0;
        for (let k = 0; k < s.nIn; k++) z = f(z + f(a[k]! * W(s, k, j)));
        z = f(z + W(s, s.nIn, j));
        if (l === L - 1) return z;
        return p.activation === "relu" ? (z > 0 ? z : 0) : f(Math.tanh(z));
      })));
    });
    let G = A[L]!.map((z, i) => {
      const m = z.reduce((a, v) => Math.max(a, v));
      let s = 0;
      const e = z.map((v) => {
        const ej = f(Math.exp(f(v - m)));
        s = f(s + ej);
        return ej;
      });
      return e.map((ej, j) => f(f(f(ej / s) - (j === Y[i] ? 1 : 0)) * invB));
    });
    let sum = 0;
    A[L]!.forEach((z, i) => {
      const m = z.reduce((a, v) => Math.max(a, v));
      let s = 0;
      for (const v of z) s = f(s + f(Math.exp(f(v - m))));
      sum = f(sum + f(f(Math.log(s)) - f(z[Y[i]!]! - m)));
    });
    stepLoss.push(f(sum * invB));
    for (let l = L - 1; l >= 0; l--) {
      const s = slices[l]!;
      const Al = A[l]!;
      let Gin: number[][] = [];
      if (l > 0) {
        Gin = G.map((g, i) => Array.from({ length: s.nIn }, (_, k) => {
          let acc = 0;
          for (let j = 0; j < s.nOut; j++) acc = f(acc + f(g[j]! * W(s, k, j)));
          const a = Al[i]![k]!;
          return p.activation === "relu" ? (a > 0 ? acc : 0) : f(acc * f(1 - f(a * a)));
        }));
      }
      const gW: number[] = [];
      for (let k = 0; k <= s.nIn; k++) {
        for (let j = 0; j < s.nOut; j++) {
          let acc = 0;
          for (let i = 0; i < p.b; i++) acc = f(acc + (k === s.nIn ? G[i]![j]! : f(Al[i]![k]! * G[i]![j]!)));
          gW.push(acc);
        }
      }
      gW.forEach((g, i) => (w[s.offset + i] = f(w[s.offset + i]! - f(r * g))));
      G = Gin;
    }
  }
  const delta = w.map((v, i) => f(v - p.wr[i]!));
  return { delta, stepLoss, meanLoss: stepLoss.reduce((a, v) => a + v, 0) / p.k, order };
}

describe("a worker written from docs/protocol alone (MLP in full; GPT hash, batch order and init)", () => {
  it("reproduces prng.json", () => {
    const v = load("prng.json");
    for (const c of v.mix32) expect(mix32(c.x)).toBe(c.out);
    for (const c of v.hash32) expect(hash32(c.seed, c.stream, c.counter)).toBe(c.out);
    for (const c of v.uniformBelow) expect(uniformBelow(c.u, c.n)).toBe(c.out);
    for (const c of v.fragmentSeed) expect(fragmentSeed(c.jobSeed, c.round, c.shard)).toBe(c.out);
    for (const c of v.batchIndices) expect(batchIndices(c.seed, c.n, c.steps, c.batch)).toEqual(c.indices);
  });

  it("reproduces the MLP initWeights vectors", () => {
    for (const c of load("init.json").mlp) expect(sha256(f32le(initWeights(c.model.layers, c.model.activation, c.seed)))).toBe(c.sha256);
  });

  it("reproduces the GPT initGptWeights vectors and the GPT fragments' batch order", () => {
    for (const c of load("init.json").gpt) expect(sha256(f32le(gptInit(c.model, c.seed)))).toBe(c.sha256);
    for (const c of load("fragment-gpt.json").cases) {
      const i = c.inputs;
      const seed = fragmentSeed(i.jobSeed, i.round, i.shardIndex);
      expect(seed).toBe(i.seed);
      expect(batchIndices(seed, i.shard.windows.length, i.steps, i.batch).slice(0, c.expected.firstBatches.flat().length)).toEqual(c.expected.firstBatches.flat());
      expect(sha256(f32le(gptInit(i.model, i.weights.initSeed)))).toBe(i.weights.sha256);
    }
  });

  it("reproduces every MLP fragment vector bit for bit (delta sha-256, step losses, loss bits)", () => {
    for (const c of load("fragment-mlp.json").cases) {
      const i = c.inputs;
      const blob = new Uint8Array(Buffer.from(i.shard.cxdsBase64, "base64"));
      expect(sha256(blob)).toBe(i.shard.cxdsSha256);
      const t = decodeCxds(blob);
      const wr = fromF32le(i.weights.f32leBase64);
      expect(sha256(f32le(wr))).toBe(i.weights.sha256);
      const out = runFragment({
        layers: i.model.layers, activation: i.model.activation, wr, x: normalise(t.x, t.d, i.normalisation.mean, i.normalisation.std), y: t.y,
        k: i.steps, b: i.batch, lr: i.lr, seed: fragmentSeed(i.jobSeed, i.round, i.shardIndex),
      });
      expect(out.order.slice(0, c.expected.firstBatches.flat().length)).toEqual(c.expected.firstBatches.flat());
      expect(out.stepLoss.map(lossBits), c.name).toEqual(c.expected.stepLossBits);
      expect(sha256(f32le(out.delta)), c.name).toBe(c.expected.deltaSha256);
      expect(lossBits(out.meanLoss)).toBe(c.expected.lossBits);
    }
  });
});
