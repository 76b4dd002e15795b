import { ROWS_PER_THREAD, tiledMatmulWgsl, WG_X, WG_Y } from "./matmul";

/**
 * The GPT's matrix products on WebGPU, with the tiling of kernels/matmul.ts (the MLP's programs fuse
 * activations and the SGD update, which the GPT cannot use: its gradients are clipped and go to AdamW).
 * Every output element sums its k-terms in order from 0, one f32 multiply and one f32 add per term — the
 * order of `matmulRef`; out-of-range loads read 0 (0·x adds exactly 0), so any size works.
 *  - "nn":  o[i,j] = Σ_k a[i,k]·w[off + k·n + j]   (+ w[off + K·n + j], the bias, when `bias`)
 *           (+ res[i,j] when `residual`: the residual add res + (x·W + b), one rounding each, as the reference)
 *           — a linear layer's forward (W in×out then bias), and dX = dLogits·wte for the tied LM head;
 *  - "nt":  o[i,j] = Σ_k a[i,k]·w[off + j·K + k]
 *           — the LM head's logits = x·wteᵀ, and a linear layer's input gradient dX = dZ·Wᵀ;
 *  - "tn":  o[off + r·n + c] = Σ_i a[i,r]·b[i,c] for r < inW, and (when `bias`) r = inW: Σ_i b[i,c]
 *           — a weight gradient Aᵀ·dZ with the bias gradient (column sums) as its last row, written into
 *           the flat gradient buffer at the layer's offset.
 * Params: m, n, k = the product's dimensions (tn: m = inW (+1), k = rows), off, inW.
 */
export type LinearKind = "nn" | "nt" | "tn";

export const LINEAR_TILE = { rows: WG_Y * ROWS_PER_THREAD, cols: WG_X * 4 };

export function linearWgsl(kind: LinearKind, bias: boolean, residual = false): string {
  if (residual && (kind !== "nn" || !bias)) throw new RangeError("the residual add is a forward epilogue (nn with bias)");
  let decls: string;
  let loadA: string;
  let loadB: string;
  let epilogue: string;
  if (kind === "tn") {
    decls = `@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> db: array<f32>;
@group(0) @binding(3) var<storage, read_write> o: array<f32>;`;
    loadA = bias ? "if (r == p.inW) { return 1.0; } return a[kk * p.inW + r];" : "return a[kk * p.inW + r];";
    loadB = "return db[kk * p.n + c];";
    epilogue = "o[p.off + row * p.n + col] = acc;";
  } else {
    decls = `@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> o: array<f32>;${residual ? "\n@group(0) @binding(4) var<storage, read> res: array<f32>;" : ""}`;
    loadA = "return a[r * p.k + kk];";
    loadB = kind === "nn" ? "return w[p.off + kk * p.n + c];" : "return w[p.off + c * p.k + kk];";
    const z = kind === "nn" && bias ? "acc + w[p.off + p.k * p.n + col]" : "acc";
    epilogue = `o[row * p.n + col] = ${residual ? `res[row * p.n + col] + (${z})` : z};`;
  }
  const header = `struct Params { m: u32, n: u32, k: u32, off: u32, inW: u32, _p0: u32, _p1: u32, _p2: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${decls}`;
  return tiledMatmulWgsl({ header, loadA, loadB, epilogue });
}

/** Workgroups for an m×n output. */
export function linearGrid(m: number, n: number): { x: number; y: number } {
  return { x: Math.ceil(n / LINEAR_TILE.cols), y: Math.ceil(m / LINEAR_TILE.rows) };
}
