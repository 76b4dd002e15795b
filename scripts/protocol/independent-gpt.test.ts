// A GPT worker's maths written from docs/protocol/gpt.md alone (no lib/ imports): it must reproduce every
// GPT vector's step losses and delta sha-256 bit for bit, so the GPT page describes the reference exactly.
import { describe, expect, it } from "vitest";
import { batchIndices, f, f32le, fromF32le, load, lossBits, sha256 } from "./from-spec/common";

// numerics.md constants
const GELU_C = f(Math.sqrt(2 / Math.PI));
const GELU_K = f(0.044715);
const GELU_K3 = f(3 * 0.044715);
const LN_EPS = f(1e-5);
const B1 = f(0.9);
const B2 = f(0.95);
const C1 = f(1 - B1);
const C2 = f(1 - B2);
const EPS = f(1e-8);
const WD = f(0.1);
const CLIP_EPS = f(1e-6);

type Mat = Float32Array;
/** C (m×n) = A (m×k) · B (k×n), or with B given transposed (n×k) when bT. */
function matmul(a: Mat, b: Mat, m: number, k: number, n: number, bT = false): Mat {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc = f(acc + f(a[i * k + p]! * (bT ? b[j * k + p]! : b[p * n + j]!)));
      c[i * n + j] = acc;
    }
  }
  return c;
}
/** Aᵀ·B for A (r×m), B (r×n): sums over r in order. */
function matmulTA(a: Mat, b: Mat, r: number, m: number, n: number): Mat {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < r; p++) acc = f(acc + f(a[p * m + i]! * b[p * n + j]!));
      c[i * n + j] = acc;
    }
  }
  return c;
}

type Spec = { layers: number; heads: number; dim: number; context: number; vocab: number };
type Slice = { off: number; len: number; decay: boolean };
function layout(s: Spec) {
  const d = s.dim;
  let off = 0;
  const all: Slice[] = [];
  const add = (len: number, decay: boolean) => {
    const x = { off, len, decay };
    off += len;
    all.push(x);
    return x;
  };
  const wte = add(s.vocab * d, true);
  const wpe = add(s.context * d, true);
  const layers = Array.from({ length: s.layers }, () => ({
    ln1g: add(d, false), ln1b: add(d, false), qkvW: add(3 * d * d, true), qkvB: add(3 * d, false), projW: add(d * d, true), projB: add(d, false),
    ln2g: add(d, false), ln2b: add(d, false), fcW: add(4 * d * d, true), fcB: add(4 * d, false), mprojW: add(4 * d * d, true), mprojB: add(d, false),
  }));
  const lnfg = add(d, false);
  const lnfb = add(d, false);
  return { wte, wpe, layers, lnfg, lnfb, all, total: off };
}
const view = (w: Mat, s: Slice) => w.subarray(s.off, s.off + s.len);

function linear(x: Mat, W: Mat, b: Mat, rows: number, nin: number, nout: number): Mat {
  const y = matmul(x, W, rows, nin, nout);
  for (let i = 0; i < rows; i++) for (let j = 0; j < nout; j++) y[i * nout + j] = f(y[i * nout + j]! + b[j]!);
  return y;
}
function linearBack(x: Mat, dy: Mat, W: Mat, gW: Mat, gb: Mat, rows: number, nin: number, nout: number): Mat {
  gW.set(matmulTA(x, dy, rows, nin, nout));
  for (let j = 0; j < nout; j++) {
    let acc = 0;
    for (let p = 0; p < rows; p++) acc = f(acc + dy[p * nout + j]!);
    gb[j] = acc;
  }
  return matmul(dy, W, rows, nout, nin, true);
}
function ln(x: Mat, g: Mat, b: Mat, rows: number, d: number) {
  const out = new Float32Array(rows * d);
  const mean = new Float32Array(rows);
  const rstd = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < d; c++) s = f(s + x[r * d + c]!);
    const m = f(s / d);
    let v = 0;
    for (let c = 0; c < d; c++) {
      const dc = f(x[r * d + c]! - m);
      v = f(v + f(dc * dc));
    }
    const rs = f(1 / f(Math.sqrt(f(f(v / d) + LN_EPS))));
    mean[r] = m;
    rstd[r] = rs;
    for (let c = 0; c < d; c++) out[r * d + c] = f(f(f(f(x[r * d + c]! - m) * rs) * g[c]!) + b[c]!);
  }
  return { out, mean, rstd };
}
function lnBack(dout: Mat, x: Mat, mean: Mat, rstd: Mat, gamma: Mat, gg: Mat, gb: Mat, rows: number, d: number): Mat {
  const dx = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const xhat: number[] = [];
    const g: number[] = [];
    let A = 0;
    let C = 0;
    for (let c = 0; c < d; c++) {
      xhat.push(f(f(x[r * d + c]! - mean[r]!) * rstd[r]!));
      g.push(f(dout[r * d + c]! * gamma[c]!));
      A = f(A + g[c]!);
      C = f(C + f(g[c]! * xhat[c]!));
    }
    const mA = f(A / d);
    const mC = f(C / d);
    for (let c = 0; c < d; c++) {
      dx[r * d + c] = f(rstd[r]! * f(f(g[c]! - mA) - f(xhat[c]! * mC)));
      gg[c] = f(gg[c]! + f(dout[r * d + c]! * xhat[c]!));
      gb[c] = f(gb[c]! + dout[r * d + c]!);
    }
  }
  return dx;
}
const u = (x: number) => f(GELU_C * f(x + f(GELU_K * f(f(x * x) * x))));
const gelu = (x: Mat) => x.map((v) => f(f(0.5 * v) * f(1 + f(Math.tanh(u(v))))));
const geluBack = (x: Mat, dy: Mat) =>
  x.map((v, i) => {
    const th = f(Math.tanh(u(v)));
    const du = f(GELU_C * f(1 + f(GELU_K3 * f(v * v))));
    return f(dy[i]! * f(f(0.5 * f(1 + th)) + f(f(f(0.5 * v) * f(1 - f(th * th))) * du)));
  });

function attention(qkv: Mat, B: number, T: number, D: number, H: number) {
  const hd = D / H;
  const scale = f(1 / f(Math.sqrt(D / H)));
  const out = new Float32Array(B * T * D);
  const P = new Float32Array(B * H * T * T);
  const at = (b: number, i: number, part: number, h: number, c: number) => qkv[(b * T + i) * 3 * D + part * D + h * hd + c]!;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < T; i++) {
    const s: number[] = [];
    let mx = -Infinity;
    for (let j = 0; j <= i; j++) {
      let acc = 0;
      for (let c = 0; c < hd; c++) acc = f(acc + f(at(b, i, 0, h, c) * at(b, j, 1, h, c)));
      s.push(f(acc * scale));
      if (s[j]! > mx) mx = s[j]!;
    }
    const po = ((b * H + h) * T + i) * T;
    let z = 0;
    const e = s.map((v) => {
      const x = f(Math.exp(f(v - mx)));
      z = f(z + x);
      return x;
    });
    e.forEach((x, j) => (P[po + j] = f(x / z)));
    for (let c = 0; c < hd; c++) {
      let acc = 0;
      for (let j = 0; j <= i; j++) acc = f(acc + f(P[po + j]! * at(b, j, 2, h, c)));
      out[(b * T + i) * D + h * hd + c] = acc;
    }
  }
  return { out, P };
}
function attentionBack(dy: Mat, qkv: Mat, P: Mat, B: number, T: number, D: number, H: number): Mat {
  const hd = D / H;
  const scale = f(1 / f(Math.sqrt(D / H)));
  const dqkv = new Float32Array(B * T * 3 * D);
  const idx = (b: number, i: number, part: number, h: number, c: number) => (b * T + i) * 3 * D + part * D + h * hd + c;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const po = (b * H + h) * T * T;
    const dS = new Float32Array(T * T);
    for (let i = 0; i < T; i++) {
      const dp: number[] = [];
      for (let j = 0; j <= i; j++) {
        let acc = 0;
        for (let c = 0; c < hd; c++) acc = f(acc + f(dy[(b * T + i) * D + h * hd + c]! * qkv[idx(b, j, 2, h, c)]!));
        dp.push(acc);
      }
      let S = 0;
      for (let j = 0; j <= i; j++) S = f(S + f(P[po + i * T + j]! * dp[j]!));
      for (let j = 0; j <= i; j++) dS[i * T + j] = f(f(P[po + i * T + j]! * f(dp[j]! - S)) * scale);
    }
    for (let i = 0; i < T; i++) for (let c = 0; c < hd; c++) {
      let acc = 0;
      for (let j = 0; j <= i; j++) acc = f(acc + f(dS[i * T + j]! * qkv[idx(b, j, 1, h, c)]!));
      dqkv[idx(b, i, 0, h, c)] = acc;
    }
    for (let j = 0; j < T; j++) for (let c = 0; c < hd; c++) {
      let ak = 0;
      let av = 0;
      for (let i = j; i < T; i++) {
        ak = f(ak + f(dS[i * T + j]! * qkv[idx(b, i, 0, h, c)]!));
        av = f(av + f(P[po + i * T + j]! * dy[(b * T + i) * D + h * hd + c]!));
      }
      dqkv[idx(b, j, 1, h, c)] = ak;
      dqkv[idx(b, j, 2, h, c)] = av;
    }
  }
  return dqkv;
}

const addm = (a: Mat, b: Mat) => a.map((v, i) => f(v + b[i]!));

function step(s: Spec, L: ReturnType<typeof layout>, w: Mat, input: number[], target: number[], B: number) {
  const { dim: D, heads: H, context: T, vocab: V } = s;
  const N = B * T;
  const x0 = new Float32Array(N * D);
  for (let p = 0; p < N; p++) for (let c = 0; c < D; c++) x0[p * D + c] = f(w[L.wte.off + input[p]! * D + c]! + w[L.wpe.off + (p % T) * D + c]!);
  const xs = [x0];
  const cache = L.layers.map((ly, l) => {
    const a = ln(xs[2 * l]!, view(w, ly.ln1g), view(w, ly.ln1b), N, D);
    const qkv = linear(a.out, view(w, ly.qkvW), view(w, ly.qkvB), N, D, 3 * D);
    const att = attention(qkv, B, T, D, H);
    xs.push(addm(xs[2 * l]!, linear(att.out, view(w, ly.projW), view(w, ly.projB), N, D, D)));
    const h = ln(xs[2 * l + 1]!, view(w, ly.ln2g), view(w, ly.ln2b), N, D);
    const fc = linear(h.out, view(w, ly.fcW), view(w, ly.fcB), N, D, 4 * D);
    const g = gelu(fc);
    xs.push(addm(xs[2 * l + 1]!, linear(g, view(w, ly.mprojW), view(w, ly.mprojB), N, 4 * D, D)));
    return { a, qkv, att, h, fc, g };
  });
  const y = ln(xs[2 * s.layers]!, view(w, L.lnfg), view(w, L.lnfb), N, D);
  const logits = matmul(y.out, view(w, L.wte), N, D, V, true);
  const invN = f(1 / N);
  const dl = new Float32Array(N * V);
  let sum = 0;
  for (let p = 0; p < N; p++) {
    const z = logits.subarray(p * V, (p + 1) * V);
    let m = z[0]!;
    for (let t = 1; t < V; t++) m = Math.max(m, z[t]!);
    let se = 0;
    const e = Array.from(z, (v) => {
      const x = f(Math.exp(f(v - m)));
      se = f(se + x);
      return x;
    });
    e.forEach((x, t) => (dl[p * V + t] = f(f(f(x / se) - (t === target[p] ? 1 : 0)) * invN)));
    sum = f(sum + f(f(Math.log(se)) - f(z[target[p]!]! - m)));
  }
  const loss = f(sum * invN);
  const grad = new Float32Array(L.total);
  view(grad, L.wte).set(matmulTA(dl, y.out, N, V, D));
  const dy = matmul(dl, view(w, L.wte), N, V, D);
  let dx = lnBack(dy, xs[2 * s.layers]!, y.mean, y.rstd, view(w, L.lnfg), view(grad, L.lnfg), view(grad, L.lnfb), N, D);
  for (let l = s.layers - 1; l >= 0; l--) {
    const ly = L.layers[l]!;
    const c = cache[l]!;
    const dg = linearBack(c.g, dx, view(w, ly.mprojW), view(grad, ly.mprojW), view(grad, ly.mprojB), N, 4 * D, D);
    const dfc = geluBack(c.fc, dg);
    const dh = linearBack(c.h.out, dfc, view(w, ly.fcW), view(grad, ly.fcW), view(grad, ly.fcB), N, D, 4 * D);
    dx = addm(dx, lnBack(dh, xs[2 * l + 1]!, c.h.mean, c.h.rstd, view(w, ly.ln2g), view(grad, ly.ln2g), view(grad, ly.ln2b), N, D));
    const datt = linearBack(c.att.out, dx, view(w, ly.projW), view(grad, ly.projW), view(grad, ly.projB), N, D, D);
    const dqkv = attentionBack(datt, c.qkv, c.att.P, B, T, D, H);
    const da = linearBack(c.a.out, dqkv, view(w, ly.qkvW), view(grad, ly.qkvW), view(grad, ly.qkvB), N, D, 3 * D);
    dx = addm(dx, lnBack(da, xs[2 * l]!, c.a.mean, c.a.rstd, view(w, ly.ln1g), view(grad, ly.ln1g), view(grad, ly.ln1b), N, D));
  }
  for (let p = 0; p < N; p++) for (let c = 0; c < D; c++) {
    const i = L.wte.off + input[p]! * D + c;
    const j = L.wpe.off + (p % T) * D + c;
    grad[i] = f(grad[i]! + dx[p * D + c]!);
    grad[j] = f(grad[j]! + dx[p * D + c]!);
  }
  return { loss, grad };
}

function runGpt(s: Spec, wr: Mat, windows: number[][], K: number, B: number, lr: number, seed: number) {
  const L = layout(s);
  const decay = new Uint8Array(L.total);
  for (const sl of L.all) if (sl.decay) decay.fill(1, sl.off, sl.off + sl.len);
  const w = Float32Array.from(wr);
  const m = new Float32Array(L.total);
  const v = new Float32Array(L.total);
  const order = batchIndices(seed, windows.length, K * B);
  const T = s.context;
  const rate = f(lr);
  const losses: number[] = [];
  for (let k = 0; k < K; k++) {
    const rows = order.slice(k * B, (k + 1) * B);
    const input = rows.flatMap((r) => windows[r]!.slice(0, T));
    const target = rows.flatMap((r) => windows[r]!.slice(1, T + 1));
    const { loss, grad: g } = step(s, L, w, input, target, B);
    losses.push(loss);
    let sq = 0;
    for (const x of g) sq = f(sq + f(x * x));
    const norm = f(Math.sqrt(sq));
    if (norm > 1) {
      const sc = f(1 / f(norm + CLIP_EPS));
      for (let i = 0; i < g.length; i++) g[i] = f(g[i]! * sc);
    }
    const n = k + 1;
    const bc1 = f(1 - f(Math.pow(B1, n)));
    const bc2 = f(1 - f(Math.pow(B2, n)));
    for (let i = 0; i < L.total; i++) {
      m[i] = f(f(B1 * m[i]!) + f(C1 * g[i]!));
      v[i] = f(f(B2 * v[i]!) + f(C2 * f(g[i]! * g[i]!)));
      let upd = f(f(m[i]! / bc1) / f(f(Math.sqrt(f(v[i]! / bc2))) + EPS));
      if (decay[i]) upd = f(upd + f(WD * w[i]!));
      w[i] = f(w[i]! - f(rate * upd));
    }
  }
  return { delta: w.map((x, i) => f(x - wr[i]!)), losses, meanLoss: losses.reduce((a, x) => a + x, 0) / K };
}

describe("a GPT worker written from docs/protocol/gpt.md alone", () => {
  it("reproduces every GPT fragment vector bit for bit (step losses, delta sha-256, loss bits)", () => {
    for (const c of load("fragment-gpt.json").cases) {
      const i = c.inputs;
      const out = runGpt(i.model, fromF32le(i.weights.f32leBase64), i.shard.windows, i.steps, i.batch, i.lr, i.seed);
      expect(out.losses.map(lossBits), c.name).toEqual(c.expected.stepLossBits);
      expect(sha256(f32le(out.delta)), c.name).toBe(c.expected.deltaSha256);
      expect(lossBits(out.meanLoss)).toBe(c.expected.lossBits);
    }
  });
});
