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
    expect(modelParameterCount({ kind: "mlp", layers: [4, 8, 3], activation: "tanh" })).toBe(5 * 8 + 9 * 3);
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

  it("bounds every count, rate and amount a reader relies on", () => {
    const ok = (patch: (s: ReturnType<typeof stored>) => unknown) => {
      const s = stored();
      patch(s);
      return trainingSpecSchema.safeParse(s).success;
    };
    expect(ok(() => {})).toBe(true);
    expect(ok((s) => (s.dataset.rows = 0))).toBe(true);
    expect(ok((s) => (s.minTier = 0))).toBe(true);
    expect(ok((s) => (s.spotCheckRate = 1))).toBe(true);
    expect(ok((s) => (s.spotCheckRate = 0))).toBe(true);
    expect(ok((s) => (s.fee = "0"))).toBe(true);
    expect(ok((s) => (s.dataset.normalisation = "global"))).toBe(true);
    expect(ok((s) => (s.model.activation = "relu"))).toBe(true);
    expect(() => specOf({ spec: { ...stored(), fee: "x" } })).toThrow(/fee: must be a decimal integer of CXT wei/);
    const refused: [string, (s: ReturnType<typeof stored>) => unknown][] = [
      ["rows < 0", (s) => (s.dataset.rows = -1)],
      ["rows not whole", (s) => (s.shards[0]!.rows = 1.5)],
      ["features 0", (s) => (s.dataset.features = 0)],
      ["classes 0", (s) => (s.dataset.classes = 0)],
      ["unknown normalisation", (s) => (s.dataset.normalisation = "log")],
      ["one-entry vocabulary", (s) => Object.assign(s.dataset, { vocabulary: ["\n"] })],
      ["upper-case shard hash", (s) => (s.shards[0]!.sha256 = "B".repeat(64))],
      ["short held-out hash", (s) => (s.heldOut.sha256 = "d".repeat(63))],
      ["long dataset hash", (s) => (s.dataset.sha256 = "a".repeat(65))],
      ["hash with a prefix", (s) => (s.dataset.sha256 = `x${"a".repeat(64)}`)],
      ["a layer of 0", (s) => (s.model.layers = [4, 0, 3])],
      ["unknown activation", (s) => (s.model.activation = "gelu")],
      ["rounds 0", (s) => (s.hyper.rounds = 0)],
      ["shards 0", (s) => (s.hyper.shards = 0)],
      ["localSteps 0", (s) => (s.hyper.localSteps = 0)],
      ["batch 0", (s) => (s.hyper.batch = 0)],
      ["seed not whole", (s) => (s.hyper.seed = 0.5)],
      ["redundancy 0", (s) => (s.redundancy = 0)],
      ["spotCheckRate > 1", (s) => (s.spotCheckRate = 1.01)],
      ["spotCheckRate < 0", (s) => (s.spotCheckRate = -0.01)],
      ["minTier < 0", (s) => (s.minTier = -1)],
      ["fee with a leading 0", (s) => (s.fee = "01")],
      ["negative fee", (s) => (s.fee = "-1")],
      ["fee with a unit", (s) => (s.fee = "1 wei")],
      ["no salt", (s) => delete (s as { salt?: string }).salt],
    ];
    for (const [name, patch] of refused) expect(ok(patch), name).toBe(false);
    const gpt = { kind: "gpt", layers: 1, heads: 1, dim: 1, context: 1, vocab: 2, tied: true };
    expect(ok((s) => Object.assign(s, { model: gpt }))).toBe(true);
    for (const k of ["layers", "heads", "dim", "context"]) expect(ok((s) => Object.assign(s, { model: { ...gpt, [k]: 0 } })), k).toBe(false);
    expect(ok((s) => Object.assign(s, { model: { ...gpt, vocab: 1 } }))).toBe(false);
  });

  it("MalformedSpecError: the root of a spec that is not an object, each issue, no job", () => {
    const e = (() => {
      try {
        specOf({ spec: "nope" });
      } catch (err) {
        return err as MalformedSpecError;
      }
    })()!;
    expect(e.name).toBe("MalformedSpecError");
    expect(e.jobId).toBeNull();
    expect(e.message).toBe(`malformed training spec: (spec): ${e.issues[0]!.slice("(spec): ".length)}`);
    expect(e.issues[0]).toMatch(/^\(spec\): /);
    const two = stored() as Record<string, unknown>;
    delete two.salt;
    delete two.fee;
    expect(() => specOf({ id: "j3", spec: two })).toThrow(/^job j3: malformed training spec: fee: [^;]+; salt: /);
    // a refused object is not cached: fixed, it parses
    const fixed = stored() as Record<string, unknown>;
    fixed.minTier = -1;
    expect(() => specOf({ spec: fixed })).toThrow(MalformedSpecError);
    fixed.minTier = 0;
    expect(specOf({ spec: fixed }).minTier).toBe(0);
  });
});

