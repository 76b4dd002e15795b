/**
 * Softmax cross-entropy on a batch of logits, and the mean-loss reduction. Per row i with label y:
 * m = max_j z_j; e_j = exp(z_j − m); s = Σ_j e_j (in order); loss_i = log s − (z_y − m);
 * dZ_ij = (e_j / s − [j = y]) · (1/B), so the mean loss's gradient reaches the matmuls already scaled.
 */

const f = Math.fround;

export function softmaxCrossEntropyRef(
  z: Float32Array,
  labels: ArrayLike<number>,
  dz: Float32Array,
  rowLoss: Float32Array,
  rows: number,
  classes: number,
  invBatch: number,
): void {
  const e = new Float32Array(classes);
  const inv = f(invBatch);
  for (let i = 0; i < rows; i++) {
    const base = i * classes;
    let m = z[base];
    for (let j = 1; j < classes; j++) m = Math.max(m, z[base + j]);
    let s = 0;
    for (let j = 0; j < classes; j++) {
      e[j] = f(Math.exp(f(z[base + j] - m)));
      s = f(s + e[j]);
    }
    const y = labels[i];
    for (let j = 0; j < classes; j++) dz[base + j] = f(f(f(e[j] / s) - (j === y ? 1 : 0)) * inv);
    rowLoss[i] = f(f(Math.log(s)) - f(z[base + y] - m));
  }
}

/** Mean of the row losses: summed in row order, then scaled by 1/B. */
export function lossReduceRef(rowLoss: Float32Array, rows: number, invBatch: number): number {
  let s = 0;
  for (let i = 0; i < rows; i++) s = f(s + rowLoss[i]);
  return f(s * f(invBatch));
}

/** One invocation per row; labels are read through the batch's shard indices. */
export const softmaxCrossEntropyWgsl = `struct Params { rows: u32, classes: u32, invB: f32, _p: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read> idx: array<u32>;
@group(0) @binding(4) var<storage, read_write> dz: array<f32>;
@group(0) @binding(5) var<storage, read_write> rowLoss: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let i = g.x;
  if (i >= p.rows) { return; }
  let base = i * p.classes;
  var m = z[base];
  for (var j = 1u; j < p.classes; j++) { m = max(m, z[base + j]); }
  var s = 0.0;
  for (var j = 0u; j < p.classes; j++) { s = s + exp(z[base + j] - m); }
  let y = labels[idx[i]];
  for (var j = 0u; j < p.classes; j++) {
    let q = exp(z[base + j] - m) / s - select(0.0, 1.0, j == y);
    dz[base + j] = q * p.invB;
  }
  rowLoss[i] = log(s) - (z[base + y] - m);
}
`;

/**
 * The mean loss in one invocation, summing rows in order like the reference: B is at most a few thousand
 * and this runs once per step, so a tree reduction would buy nothing and lose the reference's order.
 */
export const lossReduceWgsl = `struct Params { rows: u32, classes: u32, invB: f32, _p: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> rowLoss: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(1)
fn main() {
  var s = 0.0;
  for (var i = 0u; i < p.rows; i++) { s = s + rowLoss[i]; }
  out[0] = s * p.invB;
}
`;
