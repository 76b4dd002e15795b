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

// ---- GPT kernels: the same loops as lib/compute/kernels/{embedding,layernorm,attention,gelu,adamw}.ts, in
// f32 arithmetic (each op rounds like Math.fround), sums in the same order. Constants that are not exact come
// from the host as f32 arguments, so both sides round them the same way.

@inline function ldu(p: usize, i: i32): i32 {
  return <i32>load<u32>(p + (<usize>i << 2));
}

export function gptEmbeddingForward(tokens: usize, wte: usize, wpe: usize, out: usize, b: i32, t: i32, d: i32): void {
  const n = b * t;
  for (let p = 0; p < n; p++) {
    const tok = ldu(tokens, p) * d;
    const pos = (p % t) * d;
    for (let c = 0; c < d; c++) st(out, p * d + c, ld(wte, tok + c) + ld(wpe, pos + c));
  }
}

export function gptEmbeddingBackward(tokens: usize, dout: usize, dwte: usize, dwpe: usize, b: i32, t: i32, d: i32): void {
  const n = b * t;
  for (let p = 0; p < n; p++) {
    const tok = ldu(tokens, p) * d;
    const pos = (p % t) * d;
    for (let c = 0; c < d; c++) {
      const g = ld(dout, p * d + c);
      st(dwte, tok + c, ld(dwte, tok + c) + g);
      st(dwpe, pos + c, ld(dwpe, pos + c) + g);
    }
  }
}

export function gptLayerNormForward(x: usize, gamma: usize, beta: usize, out: usize, mean: usize, rstd: usize, n: i32, d: i32, eps: f32): void {
  const df = <f32>d;
  const one: f32 = 1;
  for (let r = 0; r < n; r++) {
    const base = r * d;
    let s: f32 = 0;
    for (let c = 0; c < d; c++) s = s + ld(x, base + c);
    const m = s / df;
    let v: f32 = 0;
    for (let c = 0; c < d; c++) {
      const dx = ld(x, base + c) - m;
      v = v + dx * dx;
    }
    const rs = one / Mathf.sqrt(v / df + eps);
    st(mean, r, m);
    st(rstd, r, rs);
    for (let c = 0; c < d; c++) {
      const xhat = (ld(x, base + c) - m) * rs;
      st(out, base + c, xhat * ld(gamma, c) + ld(beta, c));
    }
  }
}

// xhat and g: scratch of d floats each.
export function gptLayerNormBackward(dout: usize, x: usize, mean: usize, rstd: usize, gamma: usize, dx: usize, dgamma: usize, dbeta: usize, xhat: usize, g: usize, n: i32, d: i32): void {
  const df = <f32>d;
  for (let r = 0; r < n; r++) {
    const base = r * d;
    const m = ld(mean, r);
    const rs = ld(rstd, r);
    let a: f32 = 0;
    let c2: f32 = 0;
    for (let c = 0; c < d; c++) {
      const xh = (ld(x, base + c) - m) * rs;
      const gc = ld(dout, base + c) * ld(gamma, c);
      st(xhat, c, xh);
      st(g, c, gc);
      a = a + gc;
      c2 = c2 + gc * xh;
    }
    const ma = a / df;
    const mc = c2 / df;
    for (let c = 0; c < d; c++) {
      const xh = ld(xhat, c);
      st(dx, base + c, rs * ((ld(g, c) - ma) - xh * mc));
      const dy = ld(dout, base + c);
      st(dgamma, c, ld(dgamma, c) + dy * xh);
      st(dbeta, c, ld(dbeta, c) + dy);
    }
  }
}

// s: scratch of t floats.
export function gptAttentionForward(qkv: usize, out: usize, probs: usize, s: usize, b: i32, t: i32, d: i32, h: i32, scale: f32): void {
  const hd = d / h;
  const row = 3 * d;
  for (let bb = 0; bb < b; bb++) {
    for (let hh = 0; hh < h; hh++) {
      for (let i = 0; i < t; i++) {
        const qo = (bb * t + i) * row + hh * hd;
        let m: f32 = -Infinity;
        for (let j = 0; j <= i; j++) {
          const ko = (bb * t + j) * row + d + hh * hd;
          let acc: f32 = 0;
          for (let c = 0; c < hd; c++) acc = acc + ld(qkv, qo + c) * ld(qkv, ko + c);
          const sj = acc * scale;
          st(s, j, sj);
          if (sj > m) m = sj;
        }
        const po = ((bb * h + hh) * t + i) * t;
        let z: f32 = 0;
        for (let j = 0; j <= i; j++) {
          const e = <f32>hostExp(<f64>(ld(s, j) - m));
          st(probs, po + j, e);
          z = z + e;
        }
        for (let j = 0; j <= i; j++) st(probs, po + j, ld(probs, po + j) / z);
        for (let j = i + 1; j < t; j++) st(probs, po + j, 0);
        const oo = (bb * t + i) * d + hh * hd;
        for (let c = 0; c < hd; c++) {
          let acc: f32 = 0;
          for (let j = 0; j <= i; j++) acc = acc + ld(probs, po + j) * ld(qkv, (bb * t + j) * row + 2 * d + hh * hd + c);
          st(out, oo + c, acc);
        }
      }
    }
  }
}

// ds: scratch of t·t floats; dp: scratch of t floats. dqkv is overwritten.
export function gptAttentionBackward(dout: usize, qkv: usize, probs: usize, dqkv: usize, ds: usize, dp: usize, b: i32, t: i32, d: i32, h: i32, scale: f32): void {
  const hd = d / h;
  const row = 3 * d;
  memory.fill(dqkv, 0, <usize>(b * t * row) << 2);
  for (let bb = 0; bb < b; bb++) {
    for (let hh = 0; hh < h; hh++) {
      const po = (bb * h + hh) * t * t;
      for (let i = 0; i < t; i++) {
        const oo = (bb * t + i) * d + hh * hd;
        for (let j = 0; j <= i; j++) {
          const vo = (bb * t + j) * row + 2 * d + hh * hd;
          let acc: f32 = 0;
          for (let c = 0; c < hd; c++) acc = acc + ld(dout, oo + c) * ld(qkv, vo + c);
          st(dp, j, acc);
        }
        let sum: f32 = 0;
        for (let j = 0; j <= i; j++) sum = sum + ld(probs, po + i * t + j) * ld(dp, j);
        for (let j = 0; j <= i; j++) st(ds, i * t + j, ld(probs, po + i * t + j) * (ld(dp, j) - sum) * scale);
      }
      for (let i = 0; i < t; i++) {
        const qo = (bb * t + i) * row + hh * hd;
        for (let c = 0; c < hd; c++) {
          let acc: f32 = 0;
          for (let j = 0; j <= i; j++) acc = acc + ld(ds, i * t + j) * ld(qkv, (bb * t + j) * row + d + hh * hd + c);
          st(dqkv, qo + c, acc);
        }
      }
      for (let j = 0; j < t; j++) {
        const ko = (bb * t + j) * row + d + hh * hd;
        for (let c = 0; c < hd; c++) {
          let ak: f32 = 0;
          let av: f32 = 0;
          for (let i = j; i < t; i++) {
            ak = ak + ld(ds, i * t + j) * ld(qkv, (bb * t + i) * row + hh * hd + c);
            av = av + ld(probs, po + i * t + j) * ld(dout, (bb * t + i) * d + hh * hd + c);
          }
          st(dqkv, ko + c, ak);
          st(dqkv, ko + d + c, av);
        }
      }
    }
  }
}

@inline function geluInner(x: f32, gc: f32, gk: f32): f32 {
  return gc * (x + gk * (x * x * x));
}

export function gptGeluForward(x: usize, out: usize, n: i32, gc: f32, gk: f32): void {
  const half: f32 = 0.5;
  const one: f32 = 1;
  for (let i = 0; i < n; i++) {
    const xi = ld(x, i);
    st(out, i, half * xi * (one + <f32>hostTanh(<f64>geluInner(xi, gc, gk))));
  }
}

export function gptGeluBackward(x: usize, dout: usize, dx: usize, n: i32, gc: f32, gk: f32, gk3: f32): void {
  const half: f32 = 0.5;
  const one: f32 = 1;
  for (let i = 0; i < n; i++) {
    const xi = ld(x, i);
    const th = <f32>hostTanh(<f64>geluInner(xi, gc, gk));
    const dudx = gc * (one + gk3 * (xi * xi));
    const dd = half * (one + th) + half * xi * (one - th * th) * dudx;
    st(dx, i, ld(dout, i) * dd);
  }
}

// dst = a + b (the residual add); dst may alias a.
export function gptAdd(dst: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) vst(dst, i, f32x4.add(vld(a, i), vld(b, i)));
  for (; i < n; i++) st(dst, i, ld(a, i) + ld(b, i));
}

// Global-norm clipping at 1: sum of squares in order, then g ← g·scale when the norm exceeds 1. Returns scale.
export function gptClip(g: usize, n: i32, eps: f32): f32 {
  let sq: f32 = 0;
  for (let i = 0; i < n; i++) {
    const gi = ld(g, i);
    sq = sq + gi * gi;
  }
  const norm = Mathf.sqrt(sq);
  if (!(norm > <f32>1)) return 1;
  const scale = <f32>1 / (norm + eps);
  let i = 0;
  const sv = f32x4.splat(scale);
  for (; i + 4 <= n; i += 4) vst(g, i, f32x4.mul(vld(g, i), sv));
  for (; i < n; i++) st(g, i, ld(g, i) * scale);
  return scale;
}

// AdamW with host-computed bias corrections bc1, bc2; decay: one byte per weight.
export function gptAdamw(w: usize, g: usize, m: usize, v: usize, decay: usize, n: i32, bc1: f32, bc2: f32, lr: f32, wd: f32, b1: f32, b2: f32, eps: f32): void {
  const one: f32 = 1;
  const c1 = one - b1;
  const c2 = one - b2;
  for (let i = 0; i < n; i++) {
    const gi = ld(g, i);
    const mi = b1 * ld(m, i) + c1 * gi;
    const vi = b2 * ld(v, i) + c2 * (gi * gi);
    st(m, i, mi);
    st(v, i, vi);
    const mhat = mi / bc1;
    const vhat = vi / bc2;
    let upd = mhat / (Mathf.sqrt(vhat) + eps);
    if (load<u8>(decay + <usize>i)) upd = upd + wd * ld(w, i);
    st(w, i, ld(w, i) - lr * upd);
  }
}
