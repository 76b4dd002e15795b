/**
 * Token + learned position embedding of the GPT (CPU reference). Rounding contract as in matmul.ts: every add
 * is rounded to float32, and every accumulation runs over rows p = 0…N−1 in order, so the WGSL kernel (one
 * invocation per output element, scanning p in the same order, no atomics) and WASM can reproduce it.
 */

const f = Math.fround;

/**
 * out[(b·T+t)·D+d] = wte[tok·D+d] + wpe[t·D+d] for the N = B·T input tokens of a batch (row p = b·T + t sits
 * at position t = p mod T).
 */
export function embeddingForwardRef(
  tokens: Uint32Array,
  wte: Float32Array,
  wpe: Float32Array,
  out: Float32Array,
  b: number,
  t: number,
  d: number,
): void {
  const n = b * t;
  for (let p = 0; p < n; p++) {
    const tok = tokens[p] * d;
    const pos = (p % t) * d;
    for (let c = 0; c < d; c++) out[p * d + c] = f(wte[tok + c] + wpe[pos + c]);
  }
}

/**
 * Accumulates dout (N×D) into dwte (V×D) and dwpe (Tmax×D): for p = 0…N−1 in order,
 * dwte[tok_p] += dout[p], dwpe[t_p] += dout[p]. Both are added to, not overwritten (dwte already holds the
 * tied LM head's gradient when this runs).
 */
export function embeddingBackwardRef(
  tokens: Uint32Array,
  dout: Float32Array,
  dwte: Float32Array,
  dwpe: Float32Array,
  b: number,
  t: number,
  d: number,
): void {
  const n = b * t;
  for (let p = 0; p < n; p++) {
    const tok = tokens[p] * d;
    const pos = (p % t) * d;
    for (let c = 0; c < d; c++) {
      const g = dout[p * d + c];
      dwte[tok + c] = f(dwte[tok + c] + g);
      dwpe[pos + c] = f(dwpe[pos + c] + g);
    }
  }
}
