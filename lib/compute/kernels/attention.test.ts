import { describe, expect, it } from "vitest";
import { attentionBackwardRef, attentionForwardRef } from "./attention";
import { centralDifference, dot64, maxRelativeError, randomArray } from "./grad-check";

const [B, T, D, H] = [2, 4, 6, 2];

function forward64(qkv: ArrayLike<number>): Float64Array {
  const hd = D / H;
  const out = new Float64Array(B * T * D);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let i = 0; i < T; i++) {
        const s: number[] = [];
        for (let j = 0; j <= i; j++) {
          let a = 0;
          for (let c = 0; c < hd; c++) a += qkv[(b * T + i) * 3 * D + h * hd + c] * qkv[(b * T + j) * 3 * D + D + h * hd + c];
          s.push(a / Math.sqrt(hd));
        }
        const m = Math.max(...s);
        const e = s.map((v) => Math.exp(v - m));
        const z = e.reduce((a, v) => a + v, 0);
        for (let c = 0; c < hd; c++) {
          let a = 0;
          for (let j = 0; j <= i; j++) a += (e[j] / z) * qkv[(b * T + j) * 3 * D + 2 * D + h * hd + c];
          out[(b * T + i) * D + h * hd + c] = a;
        }
      }
  return out;
}

function run(qkv: Float32Array) {
  const out = new Float32Array(B * T * D);
  const probs = new Float32Array(B * H * T * T).fill(7); // stale values must be overwritten
  attentionForwardRef(qkv, out, probs, B, T, D, H);
  return { out, probs };
}

describe("causal attention reference", () => {
  const qkv = randomArray(B * T * 3 * D, 1, -2, 2);

  it("has probability rows that sum to 1 over j ≤ i and are 0 above the diagonal", () => {
    const { out, probs } = run(qkv);
    for (let r = 0; r < B * H * T; r++) {
      const i = r % T;
      let s = 0;
      for (let j = 0; j < T; j++) {
        if (j > i) expect(probs[r * T + j]).toBe(0);
        else s += probs[r * T + j];
      }
      expect(s).toBeCloseTo(1, 6);
    }
    expect(maxRelativeError(out, forward64(qkv))).toBeLessThan(1e-5);
    // Position 0 sees only itself: its output is its own v.
    for (let c = 0; c < D; c++) expect(out[c]).toBe(qkv[2 * D + c]);
  });

  it("masks the future: changing a later token leaves earlier outputs bit-identical", () => {
    const { out } = run(qkv);
    const changed = Float32Array.from(qkv);
    const later = 2; // batch 0, position 2: perturb its q, k and v
    for (let c = 0; c < 3 * D; c++) changed[later * 3 * D + c] += 0.5;
    const { out: out2 } = run(changed);
    expect(out2.subarray(0, later * D)).toEqual(out.subarray(0, later * D));
    expect(out2.subarray(later * D, (later + 1) * D)).not.toEqual(out.subarray(later * D, (later + 1) * D));
    expect(out2.subarray(T * D)).toEqual(out.subarray(T * D)); // the other sequence of the batch
  });

  it("has the gradient of finite differences for q, k and v", () => {
    const { probs } = run(qkv);
    const r = randomArray(B * T * D, 2);
    const dqkv = new Float32Array(B * T * 3 * D).fill(3); // overwritten
    attentionBackwardRef(r, qkv, probs, dqkv, B, T, D, H);
    const x = Float64Array.from(qkv);
    const fd = x.map((_, i) => centralDifference((v) => dot64(forward64(v), r), x, i));
    expect(maxRelativeError(dqkv, fd)).toBeLessThan(1e-4);
    // The last position's key and value reach no earlier query: only its own row uses them.
    const last = (T - 1) * 3 * D;
    expect(Math.abs(dqkv[last + D])).toBeGreaterThan(0);
  });
});
