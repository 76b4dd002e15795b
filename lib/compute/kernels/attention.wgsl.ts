import { FLAT_INDEX, FLAT_MAIN_ARGS } from "./gpt-common.wgsl";

/**
 * Causal multi-head self-attention on WebGPU, beside attention.ts (the CPU reference). qkv is N×3D
 * (q | k | v; head h uses columns h·hd…(h+1)·hd of each), probs B×H×T×T, scale = 1/√hd computed by the
 * host as the reference does and passed in.
 *
 * Forward: one invocation per query row (b, h, i) computes its scores j ≤ i (dot products over c in
 * order), max, exp, the sum z over j in order, p = e/z, and the weighted sum of v over j in order.
 * Backward in two dispatches (a dispatch sees the writes of the one before it in the pass):
 *  1. per query row (b, h, i): dp_j, Σ_j p·dp (j in order), ds_j = p_j·(dp_j − Σ) stored in a scratch
 *     B×H×T×T buffer, and dq_c = Σ_{j≤i} (ds_j·scale)·k_jc;
 *  2. per key row (b, h, j): dk_c = Σ_{i≥j} (ds_ij·scale)·q_ic and dv_c = Σ_{i≥j} p_ij·dout_ic (i in order).
 * dqkv is overwritten (the two dispatches write disjoint thirds of it).
 */

const params = "struct Params { b: u32, t: u32, d: u32, h: u32, hd: u32, scale: f32, _p0: u32, _p1: u32 }";

/** Invocations: B·H·T. */
export const attentionForwardWgsl = `${params}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read_write> o: array<f32>;
@group(0) @binding(3) var<storage, read_write> probs: array<f32>;
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  if (gi >= p.b * p.h * p.t) { return; }
  let i = gi % p.t;
  let bh = gi / p.t;
  let h = bh % p.h;
  let b = bh / p.h;
  let w3 = 3u * p.d;
  let q0 = (b * p.t + i) * w3 + h * p.hd;
  let pb = gi * p.t;
  var m = 0.0;
  for (var j = 0u; j <= i; j++) {
    let k0 = (b * p.t + j) * w3 + p.d + h * p.hd;
    var s = 0.0;
    for (var c = 0u; c < p.hd; c++) { s = s + qkv[q0 + c] * qkv[k0 + c]; }
    s = s * p.scale;
    probs[pb + j] = s;
    if (j == 0u) { m = s; } else { m = max(m, s); }
  }
  var z = 0.0;
  for (var j = 0u; j <= i; j++) {
    let e = exp(probs[pb + j] - m);
    probs[pb + j] = e;
    z = z + e;
  }
  for (var j = 0u; j <= i; j++) { probs[pb + j] = probs[pb + j] / z; }
  for (var j = i + 1u; j < p.t; j++) { probs[pb + j] = 0.0; }
  let o0 = (b * p.t + i) * p.d + h * p.hd;
  for (var c = 0u; c < p.hd; c++) {
    var acc = 0.0;
    for (var j = 0u; j <= i; j++) { acc = acc + probs[pb + j] * qkv[(b * p.t + j) * w3 + 2u * p.d + h * p.hd + c]; }
    o[o0 + c] = acc;
  }
}
`;

/** Dispatch 1 of the backward: ds and dq. Invocations: B·H·T. */
export const attentionBackwardQueryWgsl = `${params}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read> qkv: array<f32>;
@group(0) @binding(3) var<storage, read> probs: array<f32>;
@group(0) @binding(4) var<storage, read_write> dqkv: array<f32>;
@group(0) @binding(5) var<storage, read_write> ds: array<f32>;
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  if (gi >= p.b * p.h * p.t) { return; }
  let i = gi % p.t;
  let bh = gi / p.t;
  let h = bh % p.h;
  let b = bh / p.h;
  let w3 = 3u * p.d;
  let d0 = (b * p.t + i) * p.d + h * p.hd;
  let pb = gi * p.t;
  var sum = 0.0;
  for (var j = 0u; j <= i; j++) {
    let v0 = (b * p.t + j) * w3 + 2u * p.d + h * p.hd;
    var dp = 0.0;
    for (var c = 0u; c < p.hd; c++) { dp = dp + dout[d0 + c] * qkv[v0 + c]; }
    ds[pb + j] = dp;
    sum = sum + probs[pb + j] * dp;
  }
  for (var j = 0u; j <= i; j++) { ds[pb + j] = probs[pb + j] * (ds[pb + j] - sum); }
  for (var j = i + 1u; j < p.t; j++) { ds[pb + j] = 0.0; }
  let q0 = (b * p.t + i) * w3 + h * p.hd;
  for (var c = 0u; c < p.hd; c++) {
    var acc = 0.0;
    for (var j = 0u; j <= i; j++) { acc = acc + (ds[pb + j] * p.scale) * qkv[(b * p.t + j) * w3 + p.d + h * p.hd + c]; }
    dqkv[q0 + c] = acc;
  }
}
`;

/** Dispatch 2 of the backward: dk and dv. Invocations: B·H·T (one per key row). */
export const attentionBackwardKeyValueWgsl = `${params}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read> qkv: array<f32>;
@group(0) @binding(3) var<storage, read> probs: array<f32>;
@group(0) @binding(4) var<storage, read_write> dqkv: array<f32>;
@group(0) @binding(5) var<storage, read> ds: array<f32>;
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  if (gi >= p.b * p.h * p.t) { return; }
  let j = gi % p.t;
  let bh = gi / p.t;
  let h = bh % p.h;
  let b = bh / p.h;
  let w3 = 3u * p.d;
  let k0 = (b * p.t + j) * w3 + p.d + h * p.hd;
  let v0 = k0 + p.d;
  for (var c = 0u; c < p.hd; c++) {
    var dk = 0.0;
    var dv = 0.0;
    for (var i = j; i < p.t; i++) {
      let pij = (bh * p.t + i) * p.t + j;
      dk = dk + (ds[pij] * p.scale) * qkv[(b * p.t + i) * w3 + h * p.hd + c];
      dv = dv + probs[pij] * dout[(b * p.t + i) * p.d + h * p.hd + c];
    }
    dqkv[k0 + c] = dk;
    dqkv[v0 + c] = dv;
  }
}
`;
