import { f32Lit, FLAT_INDEX, FLAT_MAIN_ARGS } from "./gpt-common.wgsl";
import { LAYER_NORM_EPS } from "./layernorm";

/**
 * LayerNorm on WebGPU, beside layernorm.ts (the CPU reference), eps = 1e-5. gamma and beta are read from
 * the flat weights at gOff/bOff; their gradients go to the flat gradients at dgOff/dbOff.
 *
 * Reduction order (the contract's fixed order): one invocation per row computes that row's sums over
 * d = 0…D−1 in index order (mean, variance; in backward a = Σ g and c = Σ g·x̂); the parameter gradients
 * are one invocation per column d, summing rows n = 0…N−1 in order onto the value already there.
 */

/** One invocation per row: mean, rstd = 1/√(var + eps), out = x̂·gamma + beta. */
export const layerNormForwardWgsl = `struct Params { n: u32, d: u32, gOff: u32, bOff: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> o: array<f32>;
@group(0) @binding(4) var<storage, read_write> mean: array<f32>;
@group(0) @binding(5) var<storage, read_write> rstd: array<f32>;
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  if (gi >= p.n) { return; }
  let base = gi * p.d;
  let dn = f32(p.d);
  var s = 0.0;
  for (var c = 0u; c < p.d; c++) { s = s + x[base + c]; }
  let mu = s / dn;
  var v = 0.0;
  for (var c = 0u; c < p.d; c++) { let e = x[base + c] - mu; v = v + e * e; }
  let r = 1.0 / sqrt(v / dn + ${f32Lit(LAYER_NORM_EPS)});
  mean[gi] = mu;
  rstd[gi] = r;
  for (var c = 0u; c < p.d; c++) {
    let xh = (x[base + c] - mu) * r;
    o[base + c] = xh * w[p.gOff + c] + w[p.bOff + c];
  }
}
`;

/**
 * Invocations [0, N) are rows: dx = rstd·((g − mean(g)) − x̂·mean(g·x̂)) with g = dout·gamma — written to
 * dx, or added to what dx holds when \`accumulate\` (the residual stream's gradient: dx_res += dLN). Invocations
 * [N, N + D) are columns d: dgamma[d] += Σ_n dout·x̂, dbeta[d] += Σ_n dout (rows in order; accumulated,
 * like the reference).
 */
export function layerNormBackwardWgsl({ accumulate }: { accumulate: boolean }): string {
  return `struct Params { n: u32, d: u32, gOff: u32, dgOff: u32, dbOff: u32, _p0: u32, _p1: u32, _p2: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> rstd: array<f32>;
@group(0) @binding(5) var<storage, read> w: array<f32>;
@group(0) @binding(6) var<storage, read_write> dx: array<f32>;
@group(0) @binding(7) var<storage, read_write> g: array<f32>;
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  let dn = f32(p.d);
  if (gi < p.n) {
    let base = gi * p.d;
    let mu = mean[gi];
    let r = rstd[gi];
    var a = 0.0;
    var c = 0.0;
    for (var k = 0u; k < p.d; k++) {
      let gk = dout[base + k] * w[p.gOff + k];
      let xh = (x[base + k] - mu) * r;
      a = a + gk;
      c = c + gk * xh;
    }
    let ma = a / dn;
    let mc = c / dn;
    for (var k = 0u; k < p.d; k++) {
      let gk = dout[base + k] * w[p.gOff + k];
      let xh = (x[base + k] - mu) * r;
      let v = r * ((gk - ma) - xh * mc);
      ${accumulate ? "dx[base + k] = dx[base + k] + v;" : "dx[base + k] = v;"}
    }
    return;
  }
  let col = gi - p.n;
  if (col >= p.d) { return; }
  var ag = g[p.dgOff + col];
  var ab = g[p.dbOff + col];
  for (var row = 0u; row < p.n; row++) {
    let i = row * p.d + col;
    let xh = (x[i] - mean[row]) * rstd[row];
    ag = ag + dout[i] * xh;
    ab = ab + dout[i];
  }
  g[p.dgOff + col] = ag;
  g[p.dbOff + col] = ab;
}
`;
}
