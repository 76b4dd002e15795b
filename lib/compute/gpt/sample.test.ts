import { describe, expect, it } from "vitest";
import { initGptWeights, type GptSpec } from "./model";
import { runGptFragmentReference } from "./reference";
import { sampleGpt } from "./sample";

const spec: GptSpec = { kind: "gpt", layers: 1, heads: 2, dim: 8, context: 4, vocab: 5, tied: true };

describe("GPT sampling", () => {
  const weights = initGptWeights(spec, 7);
  const options = { seed: 11, count: 6, maxLength: 12, boundaryToken: 0, temperature: 1 };

  it("is a pure function of the weights and the seed", () => {
    const a = sampleGpt(spec, weights, options);
    expect(sampleGpt(spec, weights, options)).toEqual(a);
    expect(a).toHaveLength(6);
    for (const s of a) {
      expect(s.length).toBeLessThanOrEqual(12);
      expect(s.every((t) => Number.isInteger(t) && t > 0 && t < 5)).toBe(true); // the boundary is never returned
    }
    expect(sampleGpt(spec, weights, { ...options, seed: 12 })).not.toEqual(a);
  });

  it("reproduces what it was trained on, greedily", () => {
    // Windows of "0 1 2 3 4 0 1 2 3 4 …": after training, greedy sampling from 0 spells 1 2 3 4 and stops.
    const seq = Array.from({ length: 30 }, (_, i) => i % 5);
    const rows: number[] = [];
    for (let s = 0; s + 5 <= seq.length; s++) rows.push(...seq.slice(s, s + 5));
    const r = runGptFragmentReference({ spec, weights, shard: { tokens: Uint32Array.from(rows) }, steps: 60, batch: 4, lr: 0.03, seed: 1 });
    const trained = weights.map((w, i) => w + r.delta[i]);
    expect(sampleGpt(spec, trained, { ...options, count: 2, temperature: 0 })).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
    expect(() => sampleGpt(spec, trained, { ...options, boundaryToken: 5 })).toThrow(/boundaryToken/);
  });
});
