import { describe, expect, it } from "vitest";
import { embeddingBackwardRef, embeddingForwardRef } from "./embedding";
import { centralDifference, dot64, randomArray } from "./grad-check";

describe("embedding reference", () => {
  const [B, T, D, V] = [2, 3, 4, 5];
  const tokens = Uint32Array.from([1, 4, 1, 0, 3, 1]);
  const wte = randomArray(V * D, 1);
  const wpe = randomArray(T * D, 2);

  it("adds the token's row and the position's row", () => {
    const out = new Float32Array(B * T * D);
    embeddingForwardRef(tokens, wte, wpe, out, B, T, D);
    // Row 4 = batch 1, position 1, token 3.
    for (let d = 0; d < D; d++) expect(out[4 * D + d]).toBe(Math.fround(wte[3 * D + d] + wpe[1 * D + d]));
  });

  it("accumulates the gradient into the rows used, matching finite differences", () => {
    const r = randomArray(B * T * D, 3);
    const dwte = new Float32Array(V * D).fill(0.5); // accumulated into, not overwritten
    const dwpe = new Float32Array(T * D);
    embeddingBackwardRef(tokens, r, dwte, dwpe, B, T, D);
    const forward64 = (te: Float64Array, pe: Float64Array) => {
      const out = new Float64Array(B * T * D);
      for (let p = 0; p < B * T; p++) for (let d = 0; d < D; d++) out[p * D + d] = te[tokens[p] * D + d] + pe[(p % T) * D + d];
      return dot64(out, r);
    };
    const te = Float64Array.from(wte);
    const pe = Float64Array.from(wpe);
    for (let i = 0; i < V * D; i++) {
      const fd = centralDifference((x) => forward64(x, pe), te, i);
      expect(dwte[i] - 0.5).toBeCloseTo(fd, 5);
    }
    for (let i = 0; i < T * D; i++) expect(dwpe[i]).toBeCloseTo(centralDifference((x) => forward64(te, x), pe, i), 5);
    // Token 2 appears nowhere: its rows keep only what was there.
    expect([...dwte.subarray(2 * D, 3 * D)]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });
});
