import { describe, expect, it } from "vitest";
import { fragmentFlops, fragmentSeed, gptFragmentFlops, initGptWeights, initWeights, runFragmentReference, runGptFragmentReference } from "@/lib/compute";
import { encodeTable } from "@/lib/datasets/layout";
import { encodeTokenShard } from "@/lib/datasets/text/shard";
import { encodeFloat32 } from "./fragments";
import { fragmentInput, gptFragmentInput, gptOf, initialWeights, ModelKindError, mlpOf, modelFragmentFlops, normalisedShard, referenceFragment, tokenShard } from "./inputs";
import type { TrainingSpec } from "./spec";

// How the referee (and every worker) turns a fragment's blobs into lib/compute's inputs.
const mlp: TrainingSpec["model"] = { kind: "mlp", layers: [2, 3, 2], activation: "tanh" };
const gpt = { kind: "gpt", layers: 1, heads: 1, dim: 4, context: 3, vocab: 5, tied: true } as const;
const spec = (model: TrainingSpec["model"] = mlp) =>
  ({
    model,
    dataset: { mean: [1, -2], std: [2, 0] },
    hyper: { rounds: 1, shards: 2, localSteps: 2, batch: 2, learningRate: 0.25, outerLearningRate: 1, outerMomentum: 0, seed: 9 },
  }) as unknown as TrainingSpec;
const table = encodeTable({ rows: 3, features: 2, classes: 2, x: new Float32Array([3, 4, 1, -2, 0.1, 7]), y: new Uint32Array([1, 0, 1]) });

describe("fragment inputs", () => {
  it("normalises x' = (x − mean) / (std || 1), in float64 then rounded once to float32", () => {
    const s = normalisedShard(table, [1, -2], [2, 0]);
    expect([...s.features]).toEqual([1, 6, 0, 0, Math.fround((0.1 - 1) / 2), 9].map(Math.fround));
    expect([...s.labels]).toEqual([1, 0, 1]);
    // (x − mean) / std in float64: one rounding, not a float32 subtraction then a division
    const x = Math.fround(0.1);
    expect(normalisedShard(encodeTable({ rows: 1, features: 1, classes: 1, x: new Float32Array([x]), y: new Uint32Array([0]) }), [0.3], [3]).features[0]).toBe(Math.fround((x - 0.3) / 3));
  });

  it("a u8 table (CXDS v2) normalises to exactly the shard of its float32 table", () => {
    const t = { rows: 2, features: 3, classes: 2, x: new Float32Array([0, 255, 17, 3, 128, 1]), y: new Uint32Array([1, 0]) };
    const mean = [0.1307 * 255, 33.3, 0];
    const std = [0.3081 * 255, 78.5, 0];
    const compact = encodeTable(t, { compact: true });
    expect(compact.byteLength).toBeLessThan(encodeTable(t).byteLength);
    expect(normalisedShard(compact, mean, std)).toEqual(normalisedShard(encodeTable(t), mean, std));
    expect(() => normalisedShard(compact, [0], [1])).toThrow("normalisation has 1 statistics for 3 features");
  });

  it("token windows must hold context + 1 tokens below the vocabulary size", () => {
    const m = gptOf(spec(gpt));
    const bytes = (width: number, vocab: number) => encodeTokenShard({ tokens: new Uint32Array(2 * width).fill(1), rows: 2, width }, vocab);
    expect([...tokenShard(bytes(4, 5), m).tokens]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(tokenShard(bytes(4, 4), m).tokens).toHaveLength(8);
    expect(() => tokenShard(bytes(3, 5), m)).toThrow("token shard windows hold 3 tokens, the model's context needs 4");
    expect(() => tokenShard(bytes(5, 5), m)).toThrow(RangeError);
    expect(() => tokenShard(bytes(4, 6), m)).toThrow("token shard vocabulary 6 is over the model's 5");
  });

  it("an MLP fragment's input: the spec's model, W_r, the normalised shard, K, B, lr and the fragment seed", () => {
    const s = spec();
    const w = initWeights(mlpOf(s), 9);
    const input = fragmentInput(s, 1, 0, encodeFloat32(w), table);
    expect(input).toEqual({ spec: { layers: [2, 3, 2], activation: "tanh" }, weights: w, shard: normalisedShard(table, [1, -2], [2, 0]), steps: 2, batch: 2, lr: 0.25, seed: fragmentSeed(9, 1, 0) });
    expect(fragmentInput(s, 1, 0, w, table).weights).toBe(w);
    expect(fragmentInput(s, 0, 1, w, table).seed).toBe(fragmentSeed(9, 0, 1));
    expect(referenceFragment(s, 1, 0, w, table)).toEqual(runFragmentReference(input));
    expect(initialWeights(s)).toEqual(initWeights(mlpOf(s), 9));
    expect(modelFragmentFlops(s)).toBe(fragmentFlops(mlpOf(s), 2, 2));
    expect(() => gptFragmentInput(s, 0, 0, w, table)).toThrow(ModelKindError);
  });

  it("a GPT fragment's input: the model as it is, W_r, the token windows, K, B, lr and the fragment seed", () => {
    const s = spec(gpt);
    const m = gptOf(s);
    expect(m).toEqual(gpt);
    const w = initGptWeights(m, 9);
    const shard = encodeTokenShard({ tokens: new Uint32Array([0, 1, 2, 3, 4, 3, 2, 1]), rows: 2, width: 4 }, 5);
    const input = gptFragmentInput(s, 2, 1, encodeFloat32(w), shard);
    expect(input).toEqual({ spec: gpt, weights: w, shard: tokenShard(shard, m), steps: 2, batch: 2, lr: 0.25, seed: fragmentSeed(9, 2, 1) });
    expect(gptFragmentInput(s, 2, 1, w, shard).weights).toBe(w);
    expect(referenceFragment(s, 2, 1, w, shard)).toEqual(runGptFragmentReference(input));
    expect(initialWeights(s)).toEqual(initGptWeights(m, 9));
    expect(modelFragmentFlops(s)).toBe(gptFragmentFlops(m, 2, 2));
    expect(() => fragmentInput(s, 0, 0, w, shard)).toThrow(ModelKindError);
    const err = (() => { try { mlpOf(s); } catch (e) { return e as ModelKindError; } })()!;
    expect([err.name, err.code, err.message]).toEqual(["ModelKindError", "model_kind", 'expected a "mlp" model, the spec\'s model is "gpt"']);
  });
});
