import { GELU_C, GELU_K, GELU_K3 } from "./gelu";
import { f32Lit, FLAT_INDEX, FLAT_MAIN_ARGS } from "./gpt-common.wgsl";

/**
 * GELU (tanh form) on WebGPU, beside gelu.ts (the CPU reference); one invocation per element.
 * u = c·(x + 0.044715·x³), c = √(2/π); out = 0.5·x·(1 + tanh u). The constants are the reference's f32
 * values (gelu.ts) written as literals. tanh's argument is clamped to ±10: f32 tanh is exactly ±1 there already,
 * and some WGSL implementations compute tanh as sinh/cosh, which overflows to NaN for large |u|.
 */

const prelude = `const C = ${f32Lit(GELU_C)};
const A = ${f32Lit(GELU_K)};
const A3 = ${f32Lit(GELU_K3)};
fn th(x: f32) -> f32 {
  let u = C * (x + A * ((x * x) * x));
  return tanh(clamp(u, -10.0, 10.0));
}`;

export const geluForwardWgsl = `struct Params { n: u32, _p0: u32, _p1: u32, _p2: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> o: array<f32>;
${prelude}
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  if (gi >= p.n) { return; }
  let v = x[gi];
  o[gi] = (0.5 * v) * (1.0 + th(v));
}
`;

/** dx = dout · (0.5·(1 + t) + 0.5·x·(1 − t²)·c·(1 + 3·0.044715·x²)), t = tanh u. */
export const geluBackwardWgsl = `struct Params { n: u32, _p0: u32, _p1: u32, _p2: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
${prelude}
@compute @workgroup_size(64)
fn main(${FLAT_MAIN_ARGS}) {
  ${FLAT_INDEX}
  if (gi >= p.n) { return; }
  let v = x[gi];
  let t = th(v);
  let dudx = C * (1.0 + A3 * (v * v));
  let d = (0.5 * (1.0 + t)) + (((0.5 * v) * (1.0 - t * t)) * dudx);
  dx[gi] = dout[gi] * d;
}
`;
