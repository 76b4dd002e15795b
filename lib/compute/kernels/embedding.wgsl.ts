import { FLAT_INDEX, FLAT_MAIN_ARGS } from "./gpt-common.wgsl";

/**
 * Token + position embedding on WebGPU, beside embedding.ts (the CPU reference). wte (V×D) and wpe
 * (context×D) are read from, and their gradients written into, flat buffers at offsets (the GPT parameter
 * layout), so the trainer binds its whole weight and gradient buffers.
 *
 * Backward without atomics: each gradient element is one invocation that scans the positions p = 0…N−1 in
 * order, adding dout[p] where p's token (or position) is its own — the reference's accumulation order, so
 * the result is the reference's sum bit for bit (float adds in the same order, no fused multiply-add).
 */

/** The batch's inputs and targets from shard rows of rowLen = T+1 tokens: x[b·T+t] = row[t], y = row[t+1]. */
export const gatherTokensWgsl = `struct Params { n: u32, t: u32, rowLen: u32, _p: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> shard: array<u32>;
@group(0) @binding(2) var<storage, read> idx: array<u32>;
@group(0) @binding(3) var<storage, read_write> x: array<u32>;
@group(0) @binding(4) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  if (gi >= p.n) { return; }
  let base = idx[gi / p.t] * p.rowLen + gi % p.t;
  x[gi] = shard[base];
  y[gi] = shard[base + 1u];
}
`;

/** out[(b·T+t)·D+d] = wte[tok·D+d] + wpe[t·D+d]; one invocation per output element (n = B·T rows). */
export const embeddingForwardWgsl = `struct Params { n: u32, t: u32, d: u32, wteOff: u32, wpeOff: u32, _p0: u32, _p1: u32, _p2: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> o: array<f32>;
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  if (gi >= p.n * p.d) { return; }
  let row = gi / p.d;
  let c = gi % p.d;
  o[gi] = w[p.wteOff + tokens[row] * p.d + c] + w[p.wpeOff + (row % p.t) * p.d + c];
}
`;

/**
 * Accumulates into g: invocations [0, V·D) are dwte elements (scan every position p in order, add dout[p]
 * where tokens[p] is the row's token), [V·D, V·D + T·D) are dwpe elements (scan the positions b·T + t,
 * b in order).
 */
export const embeddingBackwardWgsl = `struct Params { n: u32, t: u32, d: u32, wteOff: u32, wpeOff: u32, v: u32, _p0: u32, _p1: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read_write> g: array<f32>;
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  let vd = p.v * p.d;
  if (gi < vd) {
    let tok = gi / p.d;
    let c = gi % p.d;
    var acc = g[p.wteOff + gi];
    for (var q = 0u; q < p.n; q++) {
      if (tokens[q] == tok) { acc = acc + dout[q * p.d + c]; }
    }
    g[p.wteOff + gi] = acc;
    return;
  }
  let j = gi - vd;
  if (j >= p.t * p.d) { return; }
  let pos = j / p.d;
  let c = j % p.d;
  var acc = g[p.wpeOff + j];
  for (var q = pos; q < p.n; q += p.t) { acc = acc + dout[q * p.d + c]; }
  g[p.wpeOff + j] = acc;
}
`;
