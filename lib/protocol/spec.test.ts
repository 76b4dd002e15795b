import { describe, expect, it } from "vitest";
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

  it("the model is a union on kind: an unknown kind is refused, not read as an MLP", () => {
    expect(trainingSpecSchema.safeParse({ ...stored(), model: { kind: "gpt", layers: [4, 8, 3], activation: "relu" } }).success).toBe(false);
    expect(trainingSpecSchema.safeParse({ ...stored(), model: { layers: [4, 8, 3], activation: "relu" } }).success).toBe(false);
    expect(trainingSpecSchema.safeParse({ ...stored(), model: { kind: "mlp", layers: [4], activation: "relu" } }).success).toBe(false);
  });
});
