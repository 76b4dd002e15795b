import { describe, expect, it } from "vitest";
import { compareWeights, evaluate, FragmentInputError, fragmentFlops, initWeights, outerStep, parameterCount, runFragmentReference, runFragmentWasm, stepFlops } from ".";
import type { FragmentInput, MlpSpec } from ".";
import { matmulRef } from "./kernels/matmul";
import { gatherRows } from "./reference";
import { toyShard } from "./test-data";
import { batchIndices, fragmentSeed, hash32 } from "./prng";
import { WasmKernels } from "./wasm";

function fragment(spec: MlpSpec, rows: number, steps: number, batch: number, seed: number, lr = 0.1): FragmentInput {
  return {
    spec,
    weights: initWeights(spec, seed),
    shard: toyShard(rows, spec.layers[0], spec.layers[spec.layers.length - 1], seed + 1),
    steps,
    batch,
    lr,
    seed,
  };
}

describe("batch order", () => {
  it("is a pure function of the seed and visits every row once per pass", () => {
    const a = batchIndices(7, 10, 4, 5);
    expect(batchIndices(7, 10, 4, 5)).toEqual(a);
    expect(batchIndices(8, 10, 4, 5)).not.toEqual(a);
    expect([...a.subarray(0, 10)].sort((x, y) => x - y)).toEqual([...Array(10).keys()]);
    expect([...a.subarray(10, 20)].sort((x, y) => x - y)).toEqual([...Array(10).keys()]);
    expect(a.subarray(0, 10)).not.toEqual(a.subarray(10, 20));
  });
  it("gives each (seed, round, shard) its own fragment seed", () => {
    const seeds = new Set([fragmentSeed(1, 0, 0), fragmentSeed(1, 0, 1), fragmentSeed(1, 1, 0), fragmentSeed(2, 0, 0)]);
    expect(seeds.size).toBe(4);
    expect(hash32(1, 2, 3)).toBe(hash32(1, 2, 3));
  });
});

describe("model", () => {
  it("lays weights out per layer with a bias row and initialises them from the seed", () => {
    const spec: MlpSpec = { layers: [3, 4, 2], activation: "relu" };
    expect(parameterCount(spec)).toBe(4 * 4 + 5 * 2);
    const w = initWeights(spec, 1);
    expect(initWeights(spec, 1)).toEqual(w);
    expect(initWeights(spec, 2)).not.toEqual(w);
    expect([...w.subarray(12, 16)]).toEqual([0, 0, 0, 0]); // layer-0 bias row
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 3));
  });
  it("counts work units by formula", () => {
    const spec: MlpSpec = { layers: [784, 128, 10], activation: "relu" };
    // Layer 0 has no input gradient: forward + weight gradient; layer 1: forward + both gradients.
    const matmuls = 2 * (2 * 64 * 784 * 128) + 3 * (2 * 64 * 128 * 10);
    expect(stepFlops(spec, 64)).toBeGreaterThan(matmuls);
    expect(stepFlops(spec, 64)).toBeLessThan(1.01 * matmuls);
    expect(fragmentFlops(spec, 10, 64)).toBe(10 * stepFlops(spec, 64));
  });
});

describe("reference fragment", () => {
  it("is deterministic and lowers the loss on a toy problem", () => {
    const input = fragment({ layers: [8, 16, 3], activation: "tanh" }, 120, 60, 16, 3, 0.2);
    const a = runFragmentReference(input);
    expect(runFragmentReference(input).delta).toEqual(a.delta);
    const before = evaluate(input.spec, input.weights, input.shard);
    const after = Float32Array.from(input.weights, (w, i) => w + a.delta[i]);
    const trained = evaluate(input.spec, after, input.shard);
    expect(trained.loss).toBeLessThan(before.loss * 0.5);
    expect(trained.accuracy).toBeGreaterThan(0.9);
    expect(a.stepLosses[a.stepLosses.length - 1]).toBeLessThan(a.stepLosses[0]);
  });
  it("matches a float64 gradient step to float32 precision", () => {
    // One step on one row of a linear softmax model, computed independently in doubles.
    const spec: MlpSpec = { layers: [3, 2], activation: "relu" };
    const weights = Float32Array.from([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.05, -0.05]);
    const x = [1, 2, -1];
    const shard = { features: Float32Array.from(x), labels: Uint32Array.from([1]) };
    const r = runFragmentReference({ spec, weights, shard, steps: 1, batch: 1, lr: 0.5, seed: 0 });
    const z = [0, 1].map((j) => x.reduce((s, xi, k) => s + xi * weights[k * 2 + j], weights[6 + j]));
    const p = z.map((v) => Math.exp(v) / (Math.exp(z[0]) + Math.exp(z[1])));
    const g = [p[0], p[1] - 1];
    const expected = [...x.flatMap((xi) => g.map((gj) => -0.5 * xi * gj)), ...g.map((gj) => -0.5 * gj)];
    expected.forEach((e, i) => expect(r.delta[i]).toBeCloseTo(e, 6));
    expect(r.meanLoss).toBeCloseTo(-Math.log(p[1]), 6);
  });
  it("rejects bad input with a clear message", () => {
    const input = fragment({ layers: [4, 3], activation: "relu" }, 10, 2, 4, 1);
    expect(() => runFragmentReference({ ...input, weights: new Float32Array(3) })).toThrow(/weights have 3 values, the model needs 15/);
    expect(() => runFragmentReference({ ...input, shard: { ...input.shard, labels: Uint32Array.from(input.shard.labels, () => 3) } })).toThrow(FragmentInputError);
    expect(() => runFragmentReference({ ...input, lr: -1 })).toThrow(/lr must be a positive number/);
  });
});

describe("WASM SIMD path", () => {
  it("multiplies like the reference on odd shapes", async () => {
    const k = await WasmKernels.create();
    for (const [m, kk, n] of [[1, 1, 1], [5, 3, 7], [4, 9, 8], [13, 17, 19], [64, 33, 130]]) {
      k.reset();
      const a = Float32Array.from({ length: m * kk }, (_, i) => hash32(m, kk, i) / 2 ** 31 - 1);
      const b = Float32Array.from({ length: kk * n }, (_, i) => hash32(n, kk, i) / 2 ** 31 - 1);
      const pa = k.alloc(a.length * 4), pb = k.alloc(b.length * 4), pc = k.alloc(m * n * 4);
      k.f32(pa, a.length).set(a);
      k.f32(pb, b.length).set(b);
      k.k.matmul(pa, pb, pc, m, kk, n);
      const ref = new Float32Array(m * n);
      matmulRef(a, b, ref, m, kk, n);
      expect(k.f32(pc, m * n)).toEqual(ref);
    }
  });
  it.each([
    [{ layers: [7, 5, 3], activation: "relu" } as MlpSpec, 33, 9, 6],
    [{ layers: [13, 17, 11, 4], activation: "tanh" } as MlpSpec, 50, 7, 12],
    [{ layers: [30, 9, 2], activation: "relu" } as MlpSpec, 5, 8, 7],
    [{ layers: [64, 32, 10], activation: "relu" } as MlpSpec, 200, 5, 64],
  ])("reproduces the reference fragment bit for bit (%j, rows %i, K %i, B %i)", async (spec, rows, steps, batch) => {
    const input = fragment(spec, rows, steps, batch, rows + steps);
    const ref = runFragmentReference(input);
    const wasm = await runFragmentWasm(input);
    expect(compareWeights(wasm.delta, ref.delta)).toEqual({ relativeL2: 0, maxAbs: 0 });
    expect(wasm.stepLosses).toEqual(ref.stepLosses);
    expect(wasm.meanLoss).toBe(ref.meanLoss);
  });
});

describe("outer optimizer", () => {
  it("is FedAvg at lr 1, momentum 0, and adds Nesterov momentum otherwise", () => {
    const w = Float32Array.from([1, 2]);
    const d = [Float32Array.from([0.5, -1]), Float32Array.from([1.5, 1])];
    expect(outerStep(w, d, { lr: 1, momentum: 0 }).weights).toEqual(Float32Array.from([2, 2]));
    const first = outerStep(w, d, { lr: 1, momentum: 0.5 });
    // g = −mean = [−1, 0]; v = g; W − (g + 0.5 v) = [1 + 1.5, 2]
    expect(first.weights).toEqual(Float32Array.from([2.5, 2]));
    const second = outerStep(first.weights, d, { lr: 1, momentum: 0.5 }, first.state);
    // v = 0.5·(−1) − 1 = −1.5; step = g + 0.5 v = −1.75
    expect(second.weights[0]).toBeCloseTo(4.25, 6);
  });
});

describe("WASM vs reference on random shapes", () => {
  it("agree bit for bit", async () => {
    const fc = await import("fast-check");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 0, maxLength: 2 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 2, max: 12 }),
        fc.constantFrom<"relu" | "tanh">("relu", "tanh"),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        async (hidden, inputs, classes, activation, rows, steps, batch, seed) => {
          const spec: MlpSpec = { layers: [inputs, ...hidden, classes], activation };
          const input = { ...fragment(spec, rows, steps, batch, seed % 1000), seed };
          const ref = runFragmentReference(input);
          const wasm = await runFragmentWasm(input);
          expect(wasm.delta).toEqual(ref.delta);
          expect(wasm.stepLosses).toEqual(ref.stepLosses);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("runFragment", () => {
  it("falls back to WASM where there is no WebGPU (Node) and says so", async () => {
    const { runFragment } = await import(".");
    const input = fragment({ layers: [6, 4, 3], activation: "relu" }, 20, 3, 5, 9);
    const r = await runFragment(input);
    expect(r.backend).toBe("wasm");
    expect(r.delta).toEqual(runFragmentReference(input).delta);
    await expect(runFragment(input, "webgpu")).rejects.toThrow(/WebGPU is not available/);
    expect((await runFragment(input, "reference")).backend).toBe("reference");
  });
});

describe("evaluate and gatherRows", () => {
  it("evaluates in chunks of 256 rows: 300 rows give the row-weighted mean of their first 256 and last 44", () => {
    const spec: MlpSpec = { layers: [3, 4, 3], activation: "relu" };
    const weights = initWeights(spec, 4).map((w, i) => w + (i % 5) * 0.02);
    const all = toyShard(300, 3, 3, 8);
    const part = (from: number, to: number) => ({ features: all.features.subarray(from * 3, to * 3), labels: all.labels.subarray(from, to) });
    const [a, b, e] = [evaluate(spec, weights, part(0, 256)), evaluate(spec, weights, part(256, 300)), evaluate(spec, weights, all)];
    expect(e.count).toBe(300);
    expect(e.loss).toBeCloseTo((a.loss * 256 + b.loss * 44) / 300, 9);
    expect(e.accuracy).toBeCloseTo((a.accuracy * 256 + b.accuracy * 44) / 300, 12);
    // the loss is −log softmax of the true class, in float64, however large the logits
    const big: MlpSpec = { layers: [1, 2], activation: "relu" };
    const one = evaluate(big, Float32Array.from([1000, -1000, 0, 0]), { features: Float32Array.from([1]), labels: Uint32Array.from([1]) });
    expect(one.loss).toBeCloseTo(2000, 6);
    expect(one.accuracy).toBe(0);
    expect(evaluate(big, Float32Array.from([1000, -1000, 0, 0]), { features: Float32Array.from([1]), labels: Uint32Array.from([0]) })).toEqual({ loss: 0, accuracy: 1, count: 1 });
    // a tie goes to the first class
    expect(evaluate(big, Float32Array.from([0, 0, 0, 0]), { features: Float32Array.from([1]), labels: Uint32Array.from([0]) }).accuracy).toBe(1);
  });

  it("gathers the batch's rows and labels in the batch's order", () => {
    const shard = { features: Float32Array.from([1, 2, 3, 4, 5, 6]), labels: Uint32Array.from([7, 8, 9]) };
    const out = new Float32Array(6);
    const labels = new Uint32Array(3);
    gatherRows(shard, Uint32Array.from([2, 0, 2]), 2, out, labels);
    expect([...out]).toEqual([5, 6, 1, 2, 5, 6]);
    expect([...labels]).toEqual([9, 7, 9]);
  });
});
