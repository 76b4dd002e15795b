import { describe, expect, it } from "vitest";
import { compareWeights } from "../compare";
import { initGptWeights, type GptSpec } from "../gpt/model";
import { evaluateGpt, gptLossAndGradient, runGptFragmentReference, type GptFragmentInput } from "../gpt/reference";
import { clipScaleRef } from "../kernels/adamw";
import { hash32 } from "../prng";
import { evaluateGptWasm, runGptFragmentWasm } from "./gpt";

function input(spec: GptSpec, rows: number, steps: number, batch: number, seed: number, lr = 0.01): GptFragmentInput {
  const tokens = Uint32Array.from({ length: rows * (spec.context + 1) }, (_, i) => hash32(seed, 5, i) % spec.vocab);
  return { spec, weights: initGptWeights(spec, seed), shard: { tokens }, steps, batch, lr, seed };
}

describe("WASM GPT path", () => {
  it.each([
    // Odd shapes: head width 3, vocab 7, a batch of 3 (no multiple of the SIMD width anywhere).
    [{ kind: "gpt", layers: 1, heads: 2, dim: 6, context: 5, vocab: 7, tied: true } as GptSpec, 11, 4, 3],
    [{ kind: "gpt", layers: 2, heads: 2, dim: 8, context: 4, vocab: 5, tied: true } as GptSpec, 9, 5, 4],
    [{ kind: "gpt", layers: 2, heads: 4, dim: 16, context: 8, vocab: 12, tied: true } as GptSpec, 20, 3, 5],
  ])("reproduces the reference fragment bit for bit (%j, rows %i, K %i, B %i)", async (spec, rows, steps, batch) => {
    const fragment = input(spec, rows, steps, batch, rows * 31 + steps);
    const ref = runGptFragmentReference(fragment);
    const wasm = await runGptFragmentWasm(fragment);
    expect(compareWeights(wasm.delta, ref.delta)).toEqual({ relativeL2: 0, maxAbs: 0 });
    expect(wasm.delta).toEqual(ref.delta);
    expect(wasm.stepLosses).toEqual(ref.stepLosses);
    expect(wasm.meanLoss).toBe(ref.meanLoss);
  });

  it("cut into chunks by a pacer (AdamW moments carried over), still reproduces the reference bit for bit", async () => {
    const spec: GptSpec = { kind: "gpt", layers: 2, heads: 2, dim: 8, context: 4, vocab: 5, tied: true };
    const fragment = input(spec, 13, 7, 3, 17);
    const ref = runGptFragmentReference(fragment);
    const seen: number[] = [];
    // Chunks of 1, 2, 3 steps, then the last one: the pacer asks before each and once after the last.
    const wasm = await runGptFragmentWasm(fragment, (done) => (seen.push(done), seen.length));
    expect(seen).toEqual([0, 1, 3, 6, 7]);
    expect(wasm.delta).toEqual(ref.delta);
    expect(wasm.stepLosses).toEqual(ref.stepLosses);
  });

  it("clips like the reference when the gradient norm exceeds 1 (large learning rate, big weights)", async () => {
    const spec: GptSpec = { kind: "gpt", layers: 1, heads: 1, dim: 4, context: 3, vocab: 6, tied: true };
    const fragment = input(spec, 7, 6, 2, 3, 0.5);
    fragment.weights = fragment.weights.map((w, i) => w * 40 + (i % 3));
    expect(clipScaleRef(gptLossAndGradient(spec, fragment.weights, fragment.shard.tokens).grad)).toBeLessThan(1);
    const ref = runGptFragmentReference(fragment);
    expect(ref.delta).toEqual((await runGptFragmentWasm(fragment)).delta);
  });
});

describe("WASM GPT evaluation", () => {
  it.each([45, 7])("equals evaluateGpt exactly (%i windows: a padded last chunk)", async (rows) => {
    const spec: GptSpec = { kind: "gpt", layers: 2, heads: 2, dim: 6, context: 5, vocab: 7, tied: true };
    const { weights, shard } = input(spec, rows, 1, 1, rows);
    const ref = evaluateGpt(spec, weights, shard.tokens);
    const wasm = await evaluateGptWasm(spec, weights, shard.tokens);
    expect(wasm).toEqual(ref);
    expect(ref.count).toBe(rows * 5);
    await expect(evaluateGptWasm(spec, weights, Uint32Array.from([0, 1, 2, 3, 4, 7]))).rejects.toThrow(/token 7/);
  });
});

describe("WASM GPT vs reference on random shapes", () => {
  it("agree bit for bit", async () => {
    const fc = await import("fast-check");
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        async (layers, heads, headDim, context, vocab, rows, steps, batch, seed) => {
          const spec: GptSpec = { kind: "gpt", layers, heads, dim: heads * headDim, context, vocab, tied: true };
          const fragment = { ...input(spec, rows, steps, batch, seed % 1000, 0.05), seed };
          const ref = runGptFragmentReference(fragment);
          const wasm = await runGptFragmentWasm(fragment);
          expect(wasm.delta).toEqual(ref.delta);
          expect(wasm.stepLosses).toEqual(ref.stepLosses);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});
