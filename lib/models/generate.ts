// Text generation from a prefix with a registry language model (the Try it panel). The draw is sampleGpt's
// (lib/compute/gpt/sample.ts): p ∝ exp((z − max)/τ) over the float32 logits in float64, the first token
// whose cumulative sum exceeds u·Σp with u = hash32(seed, 0, i) / 2³² at step i — so with an empty prefix
// it reproduces the job's seeded samples. The logits come from a callback, so any backend can serve them.
import { hash32 } from "@/lib/compute";
import type { GptConfig } from "./config";

/** Logits (vocab values) of the token after the last one of `window` (1 ≤ length ≤ context). */
export type NextTokenLogits = (window: number[]) => Float32Array | Promise<Float32Array>;

export type GenerateOptions = { seed: number; temperature: number; maxTokens: number };

export class VocabularyError extends Error {
  constructor(readonly character: string, readonly position: number) {
    super(`character ${JSON.stringify(character)} (position ${position + 1}) is not in the model's vocabulary`);
    this.name = "VocabularyError";
  }
}

/** The prefix's token ids: the longest vocabulary entry that matches at each position (characters for our models). */
export function encodePrefix(config: Pick<GptConfig, "vocabulary">, text: string): number[] {
  const ids: number[] = [];
  const entries = config.vocabulary.map((t, id) => ({ t, id })).sort((a, b) => b.t.length - a.t.length);
  for (let i = 0; i < text.length; ) {
    const hit = entries.find((e) => text.startsWith(e.t, i));
    if (!hit) throw new VocabularyError(String.fromCodePoint(text.codePointAt(i)!), i);
    ids.push(hit.id);
    i += hit.t.length;
  }
  return ids;
}

function draw(z: Float32Array, temperature: number, u32: number): number {
  let best = 0;
  for (let c = 1; c < z.length; c++) if (z[c]! > z[best]!) best = c;
  if (temperature === 0) return best;
  const p = new Float64Array(z.length);
  let total = 0;
  for (let c = 0; c < z.length; c++) total += p[c] = Math.exp((z[c]! - z[best]!) / temperature);
  const u = (u32 / 4294967296) * total;
  let cum = 0;
  for (let c = 0; c < z.length; c++) {
    cum += p[c]!;
    if (cum > u) return c;
  }
  return z.length - 1;
}

/**
 * Continues `prefix` (token ids) one token at a time from [boundary, …prefix], the model seeing the last
 * `context` tokens, until it draws the boundary token (id 0) or has added maxTokens; returns the added ids.
 */
export async function generateTokens(config: Pick<GptConfig, "context" | "vocab">, logits: NextTokenLogits, prefix: number[], options: GenerateOptions): Promise<number[]> {
  const { seed, temperature, maxTokens } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be a u32, got ${seed}`);
  if (!Number.isFinite(temperature) || temperature < 0) throw new RangeError(`temperature must be ≥ 0, got ${temperature}`);
  if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > 10_000) throw new RangeError(`maxTokens must be an integer in [1, 10000], got ${maxTokens}`);
  const seq = [0, ...prefix];
  const out: number[] = [];
  for (let i = 0; i < maxTokens; i++) {
    const z = await logits(seq.slice(-config.context));
    if (z.length !== config.vocab) throw new RangeError(`expected ${config.vocab} logits, got ${z.length}`);
    const next = draw(z, temperature, hash32(seed >>> 0, 0, i));
    if (next === 0) break;
    out.push(next);
    seq.push(next);
  }
  return out;
}
