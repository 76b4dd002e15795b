import { ADAM_BETA1, ADAM_BETA2, ADAM_EPS, adamBiasCorrections, CLIP_EPS, CLIP_MAX_NORM } from "./adamw";
import { f32Lit, FLAT_INDEX, FLAT_MAIN_ARGS } from "./gpt-common.wgsl";

/**
 * Gradient clipping at global norm 1.0 and the AdamW update on WebGPU, beside adamw.ts (the CPU reference).
 *
 * Clip — a fixed-order reduction in two dispatches, so the result does not depend on scheduling:
 *  1. clipPartials: chunk c (one invocation) sums g_i² for i = c·CLIP_CHUNK … min(n, (c+1)·CLIP_CHUNK) − 1
 *     in increasing i, into partial[c];
 *  2. clipScale (a single invocation): sq = Σ_c partial[c] for c = 0, 1, … in order; norm = √sq;
 *     scale = norm > 1 ? 1/(norm + 1e-6) : 1, written to scale[0] (and norm to scale[1]).
 * The reference sums all n squares in one left-to-right pass; the chunked order rounds differently (the
 * only difference), within the WebGPU tolerance.
 *
 * AdamW — one invocation per parameter; the gradient is first multiplied by scale[0]. β1, β2, 1−β1, 1−β2,
 * eps and the bias corrections bc1 = 1 − β1^step, bc2 = 1 − β2^step come from the host as the reference's
 * f32 values (pow in f64 then rounded), so no constant is recomputed in WGSL's precision. decay[i] = 1 for
 * the weight-decayed (2-D matrix) parameters.
 */

export const CLIP_CHUNK = 256;

export const clipPartialsWgsl = `struct Params { n: u32, chunk: u32, chunks: u32, _p: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  if (gi >= p.chunks) { return; }
  let end = min(p.n, (gi + 1u) * p.chunk);
  var s = 0.0;
  for (var i = gi * p.chunk; i < end; i++) { s = s + g[i] * g[i]; }
  partial[gi] = s;
}
`;

export const clipScaleWgsl = `struct Params { n: u32, chunk: u32, chunks: u32, _p: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> scale: array<f32>;
@compute @workgroup_size(1)
fn main() {
  var sq = 0.0;
  for (var c = 0u; c < p.chunks; c++) { sq = sq + partial[c]; }
  let norm = sqrt(sq);
  scale[0] = select(1.0, 1.0 / (norm + ${f32Lit(CLIP_EPS)}), norm > ${f32Lit(CLIP_MAX_NORM)});
  scale[1] = norm;
}
`;

/** Host-side values of one AdamW step, in the layout of the WGSL Params (12 × 4 bytes). */
export type AdamwParams = { n: number; lr: number; wd: number; step: number };

export function adamwParams({ n, lr, wd, step }: AdamwParams): ArrayBuffer {
  const f = Math.fround;
  const { bc1, bc2 } = adamBiasCorrections(step);
  const buf = new ArrayBuffer(48);
  new Uint32Array(buf, 0, 1)[0] = n;
  new Float32Array(buf, 4, 9).set([f(lr), f(wd), ADAM_BETA1, ADAM_BETA2, f(1 - ADAM_BETA1), f(1 - ADAM_BETA2), ADAM_EPS, bc1, bc2]);
  return buf;
}

export const adamwUpdateWgsl = `struct Params { n: u32, lr: f32, wd: f32, b1: f32, b2: f32, omb1: f32, omb2: f32, eps: f32, bc1: f32, bc2: f32, _p0: u32, _p1: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
@group(0) @binding(5) var<storage, read> decay: array<u32>;
@group(0) @binding(6) var<storage, read> scale: array<f32>;
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  if (gi >= p.n) { return; }
  let gr = g[gi] * scale[0];
  let mi = p.b1 * m[gi] + p.omb1 * gr;
  let vi = p.b2 * v[gi] + p.omb2 * (gr * gr);
  m[gi] = mi;
  v[gi] = vi;
  let mhat = mi / p.bc1;
  let vhat = vi / p.bc2;
  var upd = mhat / (sqrt(vhat) + p.eps);
  if (decay[gi] != 0u) { upd = upd + p.wd * w[gi]; }
  w[gi] = w[gi] - p.lr * upd;
}
`;
