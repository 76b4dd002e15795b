import { hash32 } from "../prng";
import { validateGptSpec, type GptSpec } from "./model";
import { gptForward } from "./reference";

export type GptSampleOptions = {
  /** u32: sample k, position i draws hash32(seed, k, i), so anyone can regenerate the samples. */
  seed: number;
  /** How many samples. */
  count: number;
  /** The most tokens of one sample (the boundary not counted). */
  maxLength: number;
  /** The token that starts every sample and ends it when drawn (e.g. the newline between names). */
  boundaryToken: number;
  /** Softmax temperature; 0 = always the most likely token (the first of equals). */
  temperature: number;
};

/**
 * Samples `count` token sequences from the model with the reference forward pass. Each starts from
 * [boundaryToken] and grows one token at a time, the model seeing the last `context` tokens, until it draws
 * boundaryToken or reaches maxLength; the boundary tokens are not returned. A draw takes p ∝ exp((z − max)/τ)
 * over the float32 logits in float64 and picks the first token whose cumulative sum (index order) exceeds
 * u·Σp, u = hash32(seed, k, i) / 2³².
 */
export function sampleGpt(spec: GptSpec, weights: Float32Array, options: GptSampleOptions): number[][] {
  validateGptSpec(spec);
  const { seed, count, maxLength, boundaryToken, temperature } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be a u32, got ${seed}`);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new RangeError(`count must be an integer in [1, 1000], got ${count}`);
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 10_000) {
    throw new RangeError(`maxLength must be an integer in [1, 10000], got ${maxLength}`);
  }
  if (!Number.isInteger(boundaryToken) || boundaryToken < 0 || boundaryToken >= spec.vocab) {
    throw new RangeError(`boundaryToken must be a token in [0, ${spec.vocab}), got ${boundaryToken}`);
  }
  if (!Number.isFinite(temperature) || temperature < 0) throw new RangeError(`temperature must be ≥ 0, got ${temperature}`);
  const v = spec.vocab;
  const p = new Float64Array(v);
  const samples: number[][] = [];
  for (let k = 0; k < count; k++) {
    const seq = [boundaryToken];
    const out: number[] = [];
    for (let i = 0; i < maxLength; i++) {
      const window = seq.slice(-spec.context);
      const logits = gptForward(spec, weights, window, 1, window.length);
      const z = logits.subarray((window.length - 1) * v, window.length * v);
      let next = 0;
      for (let c = 1; c < v; c++) if (z[c] > z[next]) next = c;
      if (temperature > 0) {
        const m = z[next];
        let total = 0;
        for (let c = 0; c < v; c++) {
          p[c] = Math.exp((z[c] - m) / temperature);
          total += p[c];
        }
        const u = (hash32(seed >>> 0, k, i) / 4294967296) * total;
        let cum = 0;
        next = v - 1;
        for (let c = 0; c < v; c++) {
          cum += p[c];
          if (cum > u) {
            next = c;
            break;
          }
        }
      }
      if (next === boundaryToken) break;
      out.push(next);
      seq.push(next);
    }
    samples.push(out);
  }
  return samples;
}
