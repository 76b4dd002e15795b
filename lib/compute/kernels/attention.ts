/**
 * Causal multi-head self-attention (CPU reference), from the fused q|k|v projection of N = B·T rows.
 * Row p = b·T + i of qkv holds q (cols 0…D−1), k (D…2D−1), v (2D…3D−1); head h uses cols h·hd…(h+1)·hd−1
 * of each, hd = D/H. Rounding contract as in matmul.ts: every multiply, add, divide, exp and sqrt is
 * rounded to float32 and every sum runs in increasing index order from 0. Position i attends to j ≤ i only.
 */

const f = Math.fround;

export function attentionScale(d: number, h: number): number {
  return f(1 / f(Math.sqrt(d / h)));
}

/**
 * For each (b, h, i): s_j = (q_i·k_j)·scale for j ≤ i; p = softmax(s) (max-subtracted, sum in j order);
 * out[i, h·hd + c] = Σ_{j≤i} p_j·v_jc. probs (B×H×T×T) keeps p for the backward pass, 0 above the diagonal.
 */
export function attentionForwardRef(
  qkv: Float32Array,
  out: Float32Array,
  probs: Float32Array,
  b: number,
  t: number,
  d: number,
  h: number,
): void {
  const hd = d / h;
  const scale = attentionScale(d, h);
  const row = 3 * d;
  const s = new Float32Array(t);
  for (let bb = 0; bb < b; bb++) {
    for (let hh = 0; hh < h; hh++) {
      for (let i = 0; i < t; i++) {
        const qo = (bb * t + i) * row + hh * hd;
        let m = -Infinity;
        for (let j = 0; j <= i; j++) {
          const ko = (bb * t + j) * row + d + hh * hd;
          let acc = 0;
          for (let c = 0; c < hd; c++) acc = f(acc + f(qkv[qo + c] * qkv[ko + c]));
          s[j] = f(acc * scale);
          if (s[j] > m) m = s[j];
        }
        const po = ((bb * h + hh) * t + i) * t;
        let z = 0;
        for (let j = 0; j <= i; j++) {
          const e = f(Math.exp(f(s[j] - m)));
          probs[po + j] = e;
          z = f(z + e);
        }
        for (let j = 0; j <= i; j++) probs[po + j] = f(probs[po + j] / z);
        for (let j = i + 1; j < t; j++) probs[po + j] = 0;
        const oo = (bb * t + i) * d + hh * hd;
        for (let c = 0; c < hd; c++) {
          let acc = 0;
          for (let j = 0; j <= i; j++) acc = f(acc + f(probs[po + j] * qkv[(bb * t + j) * row + 2 * d + hh * hd + c]));
          out[oo + c] = acc;
        }
      }
    }
  }
}

/**
 * dqkv (N×3D, overwritten) from dout (N×D), the forward's qkv and probs. Per (b, h):
 * dp_ij = Σ_c dout_ic·v_jc; ds_ij = p_ij·(dp_ij − Σ_{j'≤i} p_ij'·dp_ij');
 * dq_ic = Σ_{j≤i} (ds_ij·scale)·k_jc (j in order); dk_jc = Σ_{i≥j} (ds_ij·scale)·q_ic (i in order);
 * dv_jc = Σ_{i≥j} p_ij·dout_ic (i in order).
 */
export function attentionBackwardRef(
  dout: Float32Array,
  qkv: Float32Array,
  probs: Float32Array,
  dqkv: Float32Array,
  b: number,
  t: number,
  d: number,
  h: number,
): void {
  const hd = d / h;
  const scale = attentionScale(d, h);
  const row = 3 * d;
  const ds = new Float32Array(t * t); // ds_ij · scale, for (b, h)
  const dp = new Float32Array(t);
  dqkv.fill(0, 0, b * t * row);
  for (let bb = 0; bb < b; bb++) {
    for (let hh = 0; hh < h; hh++) {
      const q = (i: number) => (bb * t + i) * row + hh * hd;
      const k = (j: number) => (bb * t + j) * row + d + hh * hd;
      const v = (j: number) => (bb * t + j) * row + 2 * d + hh * hd;
      const po = (bb * h + hh) * t * t;
      for (let i = 0; i < t; i++) {
        const oo = (bb * t + i) * d + hh * hd;
        for (let j = 0; j <= i; j++) {
          let acc = 0;
          for (let c = 0; c < hd; c++) acc = f(acc + f(dout[oo + c] * qkv[v(j) + c]));
          dp[j] = acc;
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) sum = f(sum + f(probs[po + i * t + j] * dp[j]));
        for (let j = 0; j <= i; j++) ds[i * t + j] = f(f(probs[po + i * t + j] * f(dp[j] - sum)) * scale);
      }
      // dq: for each i, over j in order.
      for (let i = 0; i < t; i++) {
        for (let c = 0; c < hd; c++) {
          let acc = 0;
          for (let j = 0; j <= i; j++) acc = f(acc + f(ds[i * t + j] * qkv[k(j) + c]));
          dqkv[q(i) + c] = acc;
        }
      }
      // dk and dv: for each j, over i ≥ j in order.
      for (let j = 0; j < t; j++) {
        for (let c = 0; c < hd; c++) {
          let ak = 0;
          let av = 0;
          for (let i = j; i < t; i++) {
            ak = f(ak + f(ds[i * t + j] * qkv[q(i) + c]));
            av = f(av + f(probs[po + i * t + j] * dout[(bb * t + i) * d + hh * hd + c]));
          }
          dqkv[k(j) + c] = ak;
          dqkv[v(j) + c] = av;
        }
      }
    }
  }
}
