import type { Activation } from "../model";

/**
 * Matrix products of a training step, with their epilogues. CPU reference and WGSL live side by side so the
 * maths they share is visible in one place. Rounding contract (the referee's): every product and every sum
 * is rounded to float32 (`Math.fround`), and each output element sums its terms in increasing reduction
 * index, starting from 0 — then the epilogue (bias, activation, derivative, update) is applied once.
 */

const f = Math.fround;

export type EpilogueActivation = Activation | "none";

/** C (M×N) = A (M×K) · B (K×N), row-major, each element summed over k = 0…K−1 in order. */
export function matmulRef(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc = f(acc + f(a[i * k + p] * b[p * n + j]));
      c[i * n + j] = acc;
    }
  }
}

export function transposeRef(src: Float32Array, dst: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
}

export function activate(x: number, act: EpilogueActivation): number {
  if (act === "relu") return x > 0 ? x : 0;
  if (act === "tanh") return f(Math.tanh(x));
  return x;
}

/** Forward epilogue: z ← act(z + bias). */
export function biasActivationRef(z: Float32Array, bias: Float32Array, m: number, n: number, act: EpilogueActivation): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) z[i * n + j] = activate(f(z[i * n + j] + bias[j]), act);
}

/** Backward-input epilogue: g ← g · act′, from the layer's output a (relu: a > 0; tanh: 1 − a²). */
export function activationGradRef(g: Float32Array, a: Float32Array, count: number, act: Activation): void {
  for (let i = 0; i < count; i++) {
    g[i] = act === "relu" ? (a[i] > 0 ? g[i] : 0) : f(g[i] * f(1 - f(a[i] * a[i])));
  }
}

/** Bias gradient: column sums of dZ (M×N) over rows in order — the matmul with a row of ones. */
export function columnSumRef(dz: Float32Array, out: Float32Array, m: number, n: number): void {
  for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let i = 0; i < m; i++) acc = f(acc + dz[i * n + j]);
    out[j] = acc;
  }
}

/** SGD: w ← w − lr·g. */
export function sgdUpdateRef(w: Float32Array, g: Float32Array, lr: number): void {
  const r = f(lr);
  for (let i = 0; i < g.length; i++) w[i] = f(w[i] - f(r * g[i]));
}


/**
 * Matmul tiling: a workgroup of WG_X × WG_Y invocations computes a (WG_Y·ROWS_PER_THREAD) × (WG_X·4) block
 * of the output, each invocation ROWS_PER_THREAD rows × 4 adjacent columns (one vec4) held in registers;
 * A and B tiles of depth K_TILE go through workgroup memory. Per-thread register blocks cut the barriers
 * and shared-memory reads per multiply-add, which is what SwiftShader (and most GPUs) are slow at.
 */
export const WG_X = 8;
export const WG_Y = 4;
export const ROWS_PER_THREAD = 8;
export const K_TILE = 16;
export const MATMUL_TILE = { rows: WG_Y * ROWS_PER_THREAD, cols: WG_X * 4 };
/** The 16×16 tile of the Compute-PoC product. */
export const TILE = 16;

export type MatmulKind = "forward" | "backward-input" | "backward-weights";
export type MatmulOptions = { kind: MatmulKind; activation: EpilogueActivation; gather: boolean };

/** The parts of a product's WGSL that depend on its kind: bindings, the two tile loads and the epilogue. */
type KindParts = {
  decls: string;
  loadA: string; // (r, kk) → f32
  loadB: string; // (kk, c) → f32
  epilogue: string; // (row, col, acc)
};

function kindParts(kind: MatmulKind, activation: EpilogueActivation, gather: boolean): KindParts {
  const row = (i: string) => (gather ? `idx[${i}]` : i);
  if (kind === "forward") {
    const act = activation === "relu" ? "z = max(z, 0.0);" : activation === "tanh" ? "z = tanh(z);" : "";
    return {
      decls: `@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> o: array<f32>;`,
      loadA: `return a[${row("r")} * p.k + kk];`,
      loadB: "return w[p.wOff + kk * p.n + c];",
      epilogue: `var z = acc + w[p.wOff + p.k * p.n + col]; ${act} o[row * p.n + col] = z;`,
    };
  }
  if (kind === "backward-input") {
    const grad =
      activation === "relu"
        ? "let g = select(0.0, acc, aux[row * p.n + col] > 0.0);"
        : "let av = aux[row * p.n + col]; let g = acc * (1.0 - av * av);";
    return {
      decls: `@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> o: array<f32>;
@group(0) @binding(5) var<storage, read> aux: array<f32>;`,
      loadA: "return a[r * p.k + kk];",
      // W[c, kk] of a layer whose output width is the reduction length k.
      loadB: "return w[p.wOff + c * p.k + kk];",
      epilogue: `${grad} o[row * p.n + col] = g;`,
    };
  }
  return {
    decls: `@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> dz: array<f32>;
@group(0) @binding(3) var<storage, read_write> w: array<f32>;`,
    // Rows of this product are the layer's inputs (plus the bias row); the reduction runs over the batch.
    loadA: `if (r == p.inW) { return 1.0; } return a[${row("kk")} * p.inW + r];`,
    loadB: "return dz[kk * p.n + c];",
    epilogue: "let i = p.wOff + row * p.n + col; w[i] = w[i] - p.lr * acc;",
  };
}

/**
 * WGSL for the three products of a step, one program each. Every output element sums its k-terms in
 * order from 0 (the reference's order); loads outside the matrices read 0, so sizes that are not multiples
 * of the tile work (0·x adds exactly 0).
 *  - forward:          out[i,j] = act(Σ_k A[i,k]·W[k,j] + bias[j]); A = activations, or shard rows via idx (gather)
 *  - backward-input:   out[i,k] = (Σ_j dZ[i,j]·W[k,j]) · act′(aux[i,k]); aux = the layer-input activations
 *  - backward-weights: W[k,j] −= lr · Σ_i A[i,k]·dZ[i,j] for k ≤ n_in (k = n_in: A = 1, the bias row) — SGD fused
 * Params: m, n, k = the product's dimensions; inW = the layer's input width; wOff = the layer's offset in the flat weights.
 */
export function matmulWgsl({ kind, activation, gather }: MatmulOptions): string {
  const params = `struct Params { m: u32, n: u32, k: u32, wOff: u32, lr: f32, inW: u32, _p0: u32, _p1: u32 }
@group(0) @binding(0) var<uniform> p: Params;`;
  const idxDecl = gather ? "@group(0) @binding(4) var<storage, read> idx: array<u32>;" : "";
  const { decls, loadA, loadB, epilogue } = kindParts(kind, activation, gather);
  return tiledMatmulWgsl({ header: `${params}\n${decls}\n${idxDecl}`, loadA, loadB, epilogue });
}

/**
 * The tiled product every matrix program shares (the MLP's here, the GPT's in linear.wgsl.ts): A and B
 * tiles through workgroup memory, each invocation a TM-row × 4-column register block summing its k-terms
 * in order from 0, out-of-range loads read as 0. The caller supplies the bindings (`header`), how one A and
 * one B element are loaded (`loadA(r, kk)`, `loadB(kk, c)`), and the epilogue that stores one output
 * element from `row`, `col` and its sum `acc`.
 */
export function tiledMatmulWgsl({ header, loadA, loadB, epilogue }: { header: string; loadA: string; loadB: string; epilogue: string }): string {
  const BM = WG_Y * ROWS_PER_THREAD;
  const BN = WG_X * 4;
  const BK = K_TILE;
  return `${header}
const BM = ${BM}u;
const BN = ${BN}u;
const BK = ${BK}u;
const TM = ${ROWS_PER_THREAD}u;
const NT = ${WG_X * WG_Y}u;
var<workgroup> tA: array<f32, ${BM * BK}>;
var<workgroup> tB: array<vec4<f32>, ${(BK * BN) / 4}>;
fn loadA(r: u32, kk: u32) -> f32 { ${loadA} }
fn loadB(kk: u32, c: u32) -> f32 { ${loadB} }
fn loadB0(kk: u32, c: u32) -> f32 { if (c < p.n) { return loadB(kk, c); } return 0.0; }
fn epilogue(row: u32, col: u32, acc: f32) { ${epilogue} }
@compute @workgroup_size(${WG_X}, ${WG_Y})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u, @builtin(local_invocation_index) tid: u32) {
  let row0 = wg.y * BM;
  let col0 = wg.x * BN;
  var acc: array<vec4<f32>, ${ROWS_PER_THREAD}>;
  let tiles = (p.k + BK - 1u) / BK;
  for (var t = 0u; t < tiles; t++) {
    for (var e = tid; e < BM * BK; e += NT) {
      let gr = row0 + e / BK;
      let gk = t * BK + e % BK;
      var v = 0.0;
      if (gr < p.m && gk < p.k) { v = loadA(gr, gk); }
      tA[e] = v;
    }
    for (var e = tid; e < BK * BN / 4u; e += NT) {
      let gk = t * BK + e / (BN / 4u);
      let gc = col0 + (e % (BN / 4u)) * 4u;
      var v = vec4<f32>(0.0);
      if (gk < p.k) { v = vec4<f32>(loadB0(gk, gc), loadB0(gk, gc + 1u), loadB0(gk, gc + 2u), loadB0(gk, gc + 3u)); }
      tB[e] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let b = tB[kk * (BN / 4u) + l.x];
      for (var i = 0u; i < TM; i++) { acc[i] = acc[i] + tA[(l.y * TM + i) * BK + kk] * b; }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < TM; i++) {
    let row = row0 + l.y * TM + i;
    for (var j = 0u; j < 4u; j++) {
      let col = col0 + l.x * 4u + j;
      if (row < p.m && col < p.n) { epilogue(row, col, acc[i][j]); }
    }
  }
}
`;
}
