import { describe, expect, it } from "vitest";
import { gptOf, mlpOf, ModelKindError, modelParameterCount } from "./inputs";
import { MalformedSpecError, specOf, trainingSpecSchema } from "./spec";

// A spec as lib/jobs createJob writes it (stored in jobs.spec, published in the proof).
const stored = () => ({
  version: 1,
  chainId: 31337,
  dataset: { name: "iris", sha256: "a".repeat(64), rows: 150, features: 4, classes: 3, normalisation: "per-feature", mean: [5.8, 3, 3.7, 1.2], std: [0.8, 0.4, 1.8, 0.8] },
  shards: [{ sha256: "b".repeat(64), rows: 60 }, { sha256: "c".repeat(64), rows: 60 }],
  heldOut: { sha256: "d".repeat(64), rows: 30 },
  model: { kind: "mlp", layers: [4, 8, 3], activation: "tanh" },
  hyper: { rounds: 3, shards: 2, localSteps: 10, batch: 16, learningRate: 0.05, outerLearningRate: 1, outerMomentum: 0, seed: 42 },
  redundancy: 2,
  spotCheckRate: 0.05,
  minTier: 0,
  fee: "1000000000000000000",
  salt: `0x${"e".repeat(32)}`,
});

describe("training spec", () => {
  it("parses a stored spec into the fields readers use", () => {
    const spec = specOf({ id: "j1", spec: stored() });
    expect(spec.model).toEqual({ kind: "mlp", layers: [4, 8, 3], activation: "tanh" });
    expect(spec.hyper.localSteps).toBe(10);
    expect(spec.shards[1]!.sha256).toBe("c".repeat(64));
  });

  it("reads specs written before dataset.normalisation existed", () => {
    const s = stored();
    delete (s.dataset as { normalisation?: string }).normalisation;
    expect(specOf({ spec: s }).dataset.normalisation).toBeUndefined();
  });

  it("parses each stored object once", () => {
    const raw = stored();
    expect(specOf({ spec: raw })).toBe(specOf({ spec: raw }));
  });

  it("refuses a malformed spec with a classified error naming the job and the fields", () => {
    const bad = { ...stored(), hyper: { ...stored().hyper, localSteps: "10" } };
    let err: unknown;
    try {
      specOf({ id: "job-1", spec: bad });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MalformedSpecError);
    expect((err as MalformedSpecError).code).toBe("malformed_spec");
    expect((err as MalformedSpecError).jobId).toBe("job-1");
    expect((err as Error).message).toMatch(/^job job-1: malformed training spec: hyper\.localSteps: /);
    expect(() => specOf({ spec: null })).toThrow(MalformedSpecError);
    expect(() => specOf({ jobId: "j2", spec: { ...stored(), fee: "1e18" } })).toThrow(/job j2: .*fee/);
  });

  it("reads a GPT spec: the model is lib/compute's GptSpec, the vocabulary and AdamW are in the spec", () => {
    const gpt = {
      ...stored(),
      dataset: { name: "names", sha256: "a".repeat(64), rows: 900, features: 17, classes: 3, mean: [], std: [], vocabulary: ["\n", "a", "b"] },
      model: { kind: "gpt", layers: 1, heads: 2, dim: 8, context: 16, vocab: 3, tied: true },
      hyper: { ...stored().hyper, innerOptimizer: { kind: "adamw", beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, clipNorm: 1 } },
    };
    const spec = specOf({ spec: gpt });
    expect(gptOf(spec)).toEqual(gpt.model);
    expect(modelParameterCount(spec.model)).toBe(3 * 8 + 16 * 8 + (12 * 64 + 13 * 8) + 2 * 8);
    expect(() => mlpOf(spec)).toThrow(ModelKindError);
    expect(() => gptOf(specOf({ spec: stored() }))).toThrow(/expected a "gpt" model/);
    // AdamW's constants are pinned: a spec cannot claim an optimizer the workers do not run.
    expect(trainingSpecSchema.safeParse({ ...gpt, hyper: { ...gpt.hyper, innerOptimizer: { ...gpt.hyper.innerOptimizer, weightDecay: 0 } } }).success).toBe(false);
    expect(trainingSpecSchema.safeParse({ ...gpt, model: { ...gpt.model, tied: false } }).success).toBe(false);
  });

  it("the model is a union on kind: an unknown kind is refused, not read as an MLP", () => {
    expect(trainingSpecSchema.safeParse({ ...stored(), model: { kind: "gpt", layers: [4, 8, 3], activation: "relu" } }).success).toBe(false);
    expect(trainingSpecSchema.safeParse({ ...stored(), model: { layers: [4, 8, 3], activation: "relu" } }).success).toBe(false);
    expect(trainingSpecSchema.safeParse({ ...stored(), model: { kind: "mlp", layers: [4], activation: "relu" } }).success).toBe(false);
  });
});
