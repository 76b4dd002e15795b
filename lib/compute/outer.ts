/**
 * The round's outer optimizer (DiLoCo; docs/concepts/fragments.md → Aggregation, docs/protocol/outer.md): the outer gradient is g = −mean(deltas); Nesterov
 * momentum: v ← μ·v + g; W ← W − η·(g + μ·v). With η = 1 and μ = 0 this is FedAvg: W + mean(delta).
 * float32 with rounding after every operation; deltas are averaged in the order given (sorted by the caller,
 * e.g. by shard), so every coordinator computes the same W_{r+1}.
 */
export type OuterOptimizer = { lr: number; momentum: number };
export type OuterState = { velocity: Float32Array };

const f = Math.fround;

export function meanDelta(deltas: readonly Float32Array[]): Float32Array {
  if (deltas.length === 0) throw new RangeError("no deltas to average");
  const n = deltas[0].length;
  const out = new Float32Array(n);
  const inv = f(1 / deltas.length);
  for (const d of deltas) if (d.length !== n) throw new RangeError(`deltas differ in length (${d.length} vs ${n})`);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const d of deltas) s = f(s + d[i]);
    out[i] = f(s * inv);
  }
  return out;
}

export function outerStep(
  weights: Float32Array,
  deltas: readonly Float32Array[],
  opt: OuterOptimizer,
  state?: OuterState,
): { weights: Float32Array; state: OuterState } {
  if (!(opt.lr > 0) || !(opt.momentum >= 0 && opt.momentum < 1)) throw new RangeError("outer lr must be > 0 and momentum in [0, 1)");
  const mean = meanDelta(deltas);
  if (mean.length !== weights.length) throw new RangeError(`deltas have ${mean.length} values, weights ${weights.length}`);
  const v = state ? Float32Array.from(state.velocity) : new Float32Array(weights.length);
  if (v.length !== weights.length) throw new RangeError("optimizer state does not match the weights");
  const w = new Float32Array(weights.length);
  const mu = f(opt.momentum);
  const lr = f(opt.lr);
  for (let i = 0; i < w.length; i++) {
    const g = -mean[i];
    v[i] = f(f(mu * v[i]) + g);
    w[i] = f(weights[i] - f(lr * f(g + f(mu * v[i]))));
  }
  return { weights: w, state: { velocity: v } };
}
