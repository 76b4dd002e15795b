/**
 * A float64 GPT forward written independently of the float32 reference (plain loops, no shared kernels), for
 * the gradient checks of reference.test.ts. Imported by tests only.
 */
import { gptSlices, type GptSpec } from "./model";

function layerNorm(x: Float64Array, g: Float64Array, b: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    let m = 0;
    for (let c = 0; c < d; c++) m += x[r * d + c];
    m /= d;
    let v = 0;
    for (let c = 0; c < d; c++) v += (x[r * d + c] - m) ** 2;
    const rs = 1 / Math.sqrt(v / d + 1e-5);
    for (let c = 0; c < d; c++) out[r * d + c] = (x[r * d + c] - m) * rs * g[c] + b[c];
  }
  return out;
}

function linear(x: Float64Array, w: Float64Array, b: Float64Array, n: number, ni: number, no: number): Float64Array {
  const out = new Float64Array(n * no);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < no; j++) {
      let s = b[j];
      for (let k = 0; k < ni; k++) s += x[r * ni + k] * w[k * no + j];
      out[r * no + j] = s;
    }
  return out;
}

/** Mean next-token cross-entropy of every window of `tokens` (rows × (context+1)), in float64. */
export function gptLoss64(spec: GptSpec, w: Float64Array, tokens: ArrayLike<number>): number {
  const L = gptSlices(spec);
  const { dim: d, heads: h, context: t, vocab: V } = spec;
  const hd = d / h;
  const rows = tokens.length / (t + 1);
  const n = rows * t;
  const p = (s: { offset: number; length: number }) => w.subarray(s.offset, s.offset + s.length);
  let x = new Float64Array(n * d);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < t; i++)
      for (let c = 0; c < d; c++) x[(r * t + i) * d + c] = w[L.wte.offset + tokens[r * (t + 1) + i] * d + c] + w[L.wpe.offset + i * d + c];
  for (const s of L.layers) {
    const qkv = linear(layerNorm(x, p(s.ln1G), p(s.ln1B), n, d), p(s.qkvW), p(s.qkvB), n, d, 3 * d);
    const att = new Float64Array(n * d);
    for (let r = 0; r < rows; r++)
      for (let hh = 0; hh < h; hh++)
        for (let i = 0; i < t; i++) {
          const sc: number[] = [];
          for (let j = 0; j <= i; j++) {
            let a = 0;
            for (let c = 0; c < hd; c++) a += qkv[(r * t + i) * 3 * d + hh * hd + c] * qkv[(r * t + j) * 3 * d + d + hh * hd + c];
            sc.push(a / Math.sqrt(hd));
          }
          const m = Math.max(...sc);
          const e = sc.map((v) => Math.exp(v - m));
          const z = e.reduce((a, v) => a + v, 0);
          for (let c = 0; c < hd; c++) {
            let a = 0;
            for (let j = 0; j <= i; j++) a += (e[j] / z) * qkv[(r * t + j) * 3 * d + 2 * d + hh * hd + c];
            att[(r * t + i) * d + hh * hd + c] = a;
          }
        }
    const proj = linear(att, p(s.projW), p(s.projB), n, d, d);
    x = x.map((v, i) => v + proj[i]);
    const fc = linear(layerNorm(x, p(s.ln2G), p(s.ln2B), n, d), p(s.fcW), p(s.fcB), n, d, 4 * d);
    const act = fc.map((u) => 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u ** 3))));
    const out = linear(act, p(s.mlpProjW), p(s.mlpProjB), n, 4 * d, d);
    x = x.map((v, i) => v + out[i]);
  }
  const xf = layerNorm(x, p(L.lnfG), p(L.lnfB), n, d);
  let loss = 0;
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < t; i++) {
      const row = r * t + i;
      const z = new Float64Array(V);
      for (let v = 0; v < V; v++) for (let c = 0; c < d; c++) z[v] += xf[row * d + c] * w[L.wte.offset + v * d + c];
      const m = Math.max(...z);
      const s = z.reduce((a, v) => a + Math.exp(v - m), 0);
      loss += Math.log(s) + m - z[tokens[r * (t + 1) + i + 1]];
    }
  return loss / n;
}
