// AssemblyScript (compiled by `npm run build:wasm`, not by tsc). Kernels of the fast CPU path.
// Same maths and the same per-element reduction order as lib/compute/kernels/*.ts (the referee): SIMD runs
// across output columns, never across a sum, and wasm has no fused multiply-add, so results match the
// reference bit for bit. exp, log and tanh come from the host (JavaScript's Math) for the same reason.
// All pointers are byte offsets into the exported memory, managed by the TypeScript side.

@external("env", "exp") declare function hostExp(x: f64): f64;
@external("env", "log") declare function hostLog(x: f64): f64;
@external("env", "tanh") declare function hostTanh(x: f64): f64;

@inline function ld(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}
@inline function st(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}
@inline function vld(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 2));
}
@inline function vst(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 2), v);
}

// C (m×n) = A (m×k) · B (k×n); register blocks of 4 rows × 8 columns, each lane summing over k in order.
export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        const b0 = vld(b, p * n + j);
        const b1 = vld(b, p * n + j + 4);
        const a0 = f32x4.splat(ld(a, i * k + p));
        const a1 = f32x4.splat(ld(a, (i + 1) * k + p));
        const a2 = f32x4.splat(ld(a, (i + 2) * k + p));
        const a3 = f32x4.splat(ld(a, (i + 3) * k + p));
        c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
        c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
        c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
        c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
      }
      vst(c, i * n + j, c00); vst(c, i * n + j + 4, c01);
      vst(c, (i + 1) * n + j, c10); vst(c, (i + 1) * n + j + 4, c11);
      vst(c, (i + 2) * n + j, c20); vst(c, (i + 2) * n + j + 4, c21);
      vst(c, (i + 3) * n + j, c30); vst(c, (i + 3) * n + j + 4, c31);
    }
    for (; j + 4 <= n; j += 4) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        const b0 = vld(b, p * n + j);
        c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(ld(a, i * k + p)), b0));
        c1 = f32x4.add(c1, f32x4.mul(f32x4.splat(ld(a, (i + 1) * k + p)), b0));
        c2 = f32x4.add(c2, f32x4.mul(f32x4.splat(ld(a, (i + 2) * k + p)), b0));
        c3 = f32x4.add(c3, f32x4.mul(f32x4.splat(ld(a, (i + 3) * k + p)), b0));
      }
      vst(c, i * n + j, c0); vst(c, (i + 1) * n + j, c1); vst(c, (i + 2) * n + j, c2); vst(c, (i + 3) * n + j, c3);
    }
    for (; j < n; j++) {
      for (let r = 0; r < 4; r++) st(c, (i + r) * n + j, dotScalar(a, b, i + r, j, k, n));
    }
  }
  for (; i < m; i++) {
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        const av = f32x4.splat(ld(a, i * k + p));
        c0 = f32x4.add(c0, f32x4.mul(av, vld(b, p * n + j)));
        c1 = f32x4.add(c1, f32x4.mul(av, vld(b, p * n + j + 4)));
      }
      vst(c, i * n + j, c0); vst(c, i * n + j + 4, c1);
    }
    for (; j + 4 <= n; j += 4) {
      let c0 = f32x4.splat(0);
      for (let p = 0; p < k; p++) c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(ld(a, i * k + p)), vld(b, p * n + j)));
      vst(c, i * n + j, c0);
    }
    for (; j < n; j++) st(c, i * n + j, dotScalar(a, b, i, j, k, n));
  }
}

@inline function dotScalar(a: usize, b: usize, i: i32, j: i32, k: i32, n: i32): f32 {
  let acc: f32 = 0;
  for (let p = 0; p < k; p++) acc = acc + ld(a, i * k + p) * ld(b, p * n + j);
  return acc;
}

export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) st(dst, j * rows + i, ld(src, i * cols + j));
}

@inline function activate(x: f32, act: i32): f32 {
  if (act == 1) return x > 0 ? x : 0;
  if (act == 2) return <f32>hostTanh(<f64>x);
  return x;
}

// act: 0 none, 1 relu, 2 tanh
export function biasActivation(z: usize, bias: usize, m: i32, n: i32, act: i32): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) st(z, i * n + j, activate(ld(z, i * n + j) + ld(bias, j), act));
}

export function activationGrad(g: usize, a: usize, count: i32, act: i32): void {
  for (let i = 0; i < count; i++) {
    const av = ld(a, i);
    const one: f32 = 1;
    st(g, i, act == 1 ? (av > 0 ? ld(g, i) : 0) : ld(g, i) * (one - av * av));
  }
}

export function columnSum(dz: usize, out: usize, m: i32, n: i32): void {
  for (let j = 0; j < n; j++) {
    let acc: f32 = 0;
    for (let i = 0; i < m; i++) acc = acc + ld(dz, i * n + j);
    st(out, j, acc);
  }
}

export function sgdUpdate(w: usize, g: usize, count: i32, lr: f32): void {
  for (let i = 0; i < count; i++) st(w, i, ld(w, i) - lr * ld(g, i));
}

// labels: u32 per row; e: scratch of `classes` floats.
export function softmaxCrossEntropy(z: usize, labels: usize, dz: usize, rowLoss: usize, e: usize, rows: i32, classes: i32, invB: f32): void {
  for (let i = 0; i < rows; i++) {
    const base = i * classes;
    let m = ld(z, base);
    for (let j = 1; j < classes; j++) m = max<f32>(m, ld(z, base + j));
    let s: f32 = 0;
    for (let j = 0; j < classes; j++) {
      const ej = <f32>hostExp(<f64>(ld(z, base + j) - m));
      st(e, j, ej);
      s = s + ej;
    }
    const y = <i32>load<u32>(labels + (<usize>i << 2));
    for (let j = 0; j < classes; j++) {
      const onehot: f32 = j == y ? 1 : 0;
      st(dz, base + j, (ld(e, j) / s - onehot) * invB);
    }
    st(rowLoss, i, <f32>hostLog(<f64>s) - (ld(z, base + y) - m));
  }
}

export function lossReduce(rowLoss: usize, rows: i32, invB: f32): f32 {
  let s: f32 = 0;
  for (let i = 0; i < rows; i++) s = s + ld(rowLoss, i);
  return s * invB;
}

// Copies the rows idx[0..count) of a (· × cols) matrix, and their labels.
export function gather(src: usize, srcLabels: usize, idx: usize, dst: usize, dstLabels: usize, count: i32, cols: i32): void {
  for (let i = 0; i < count; i++) {
    const r = <i32>load<u32>(idx + (<usize>i << 2));
    memory.copy(dst + (<usize>(i * cols) << 2), src + (<usize>(r * cols) << 2), <usize>cols << 2);
    store<u32>(dstLabels + (<usize>i << 2), load<u32>(srcLabels + (<usize>r << 2)));
  }
}

// Compute-PoC: C = A·B mod 2^32 (n×n, u32), row by row with i32x4 lanes across columns.
export function pocMatmul(a: usize, b: usize, c: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const crow = c + (<usize>(i * n) << 2);
    memory.fill(crow, 0, <usize>n << 2);
    for (let p = 0; p < n; p++) {
      const av = load<u32>(a + (<usize>(i * n + p) << 2));
      const as = i32x4.splat(av);
      const brow = b + (<usize>(p * n) << 2);
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const o = <usize>j << 2;
        v128.store(crow + o, i32x4.add(v128.load(crow + o), i32x4.mul(as, v128.load(brow + o))));
      }
      for (; j < n; j++) {
        const o = <usize>j << 2;
        store<u32>(crow + o, load<u32>(crow + o) + av * load<u32>(brow + o));
      }
    }
  }
}
