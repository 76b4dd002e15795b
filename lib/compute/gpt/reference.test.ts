import { describe, expect, it } from "vitest";
import { FragmentInputError } from "../fragment";
import { centralDifference, randomArray } from "../kernels/grad-check";
import { gptLoss64 } from "./gpt-test-support";
import { gptDecayMask, gptFragmentFlops, gptParameterCount, gptSlices, gptStepFlops, initGptWeights, validateGptSpec, type GptSpec } from "./model";
import { evaluateGpt, gptForward, gptLoss, gptLossAndGradient, runGptFragmentReference, type GptFragmentInput } from "./reference";

const tiny: GptSpec = { kind: "gpt", layers: 2, heads: 2, dim: 8, context: 4, vocab: 5, tied: true };

/** Sliding windows of context + 1 over a token sequence. */
function windows(seq: number[], context: number): Uint32Array {
  const rows: number[] = [];
  for (let s = 0; s + context + 1 <= seq.length; s++) rows.push(...seq.slice(s, s + context + 1));
  return Uint32Array.from(rows);
}

describe("GPT model", () => {
  it("validates the spec with errors that name the field", () => {
    expect(() => validateGptSpec({ ...tiny, heads: 3 })).toThrow(/heads must divide dim/);
    expect(() => validateGptSpec({ ...tiny, context: 257 })).toThrow(/context must be an integer in \[1, 256\]/);
    expect(() => validateGptSpec({ ...tiny, layers: 1.5 })).toThrow(/layers/);
    expect(() => validateGptSpec({ ...tiny, vocab: 1 })).toThrow(/vocab/);
    expect(() => validateGptSpec({ ...tiny, dim: 1024, layers: 16 })).toThrow(/parameters/);
    expect(() => validateGptSpec({ ...tiny, kind: "mlp" } as unknown as GptSpec)).toThrow(RangeError);
  });

  it("lays the parameters out in the contract's order and initialises them from the seed", () => {
    const layout = gptSlices(tiny);
    const d = 8;
    expect(layout.total).toBe(gptParameterCount(tiny));
    expect(layout.total).toBe(5 * d + 4 * d + 2 * (12 * d * d + 13 * d) + 2 * d);
    expect(layout.all.map((s) => s.name).slice(0, 8)).toEqual(["wte", "wpe", "h0.ln1.g", "h0.ln1.b", "h0.attn.qkv.w", "h0.attn.qkv.b", "h0.attn.proj.w", "h0.attn.proj.b"]);
    let end = 0;
    for (const s of layout.all) {
      expect(s.offset).toBe(end);
      end += s.length;
    }
    const w = initGptWeights(tiny, 1);
    expect(initGptWeights(tiny, 1)).toEqual(w);
    expect(initGptWeights(tiny, 2)).not.toEqual(w);
    const sl = (s: { offset: number; length: number }) => [...w.subarray(s.offset, s.offset + s.length)];
    expect(sl(layout.layers[1].ln2G).every((v) => v === 1)).toBe(true);
    expect(sl(layout.layers[1].fcB).every((v) => v === 0)).toBe(true);
    expect(Math.max(...sl(layout.wte).map(Math.abs))).toBeLessThanOrEqual(0.02 * Math.sqrt(3));
    expect(Math.max(...sl(layout.layers[0].projW).map(Math.abs))).toBeLessThanOrEqual((0.02 * Math.sqrt(3)) / 2);
    const mask = gptDecayMask(tiny);
    expect(mask[layout.wpe.offset]).toBe(1);
    expect(mask[layout.layers[0].qkvB.offset]).toBe(0);
    expect(mask[layout.lnfG.offset]).toBe(0);
    // The demo model for names: about 100k parameters.
    expect(gptParameterCount({ kind: "gpt", layers: 2, heads: 4, dim: 64, context: 16, vocab: 28, tied: true })).toBe(102_912);
  });

  it("counts work units by formula", () => {
    const spec: GptSpec = { kind: "gpt", layers: 2, heads: 4, dim: 64, context: 16, vocab: 28, tied: true };
    const n = 8 * 16;
    const d = 64;
    // The matrix products alone: 6 flops per multiply-accumulate of each linear layer, and the tied head.
    const matmuls = 2 * 6 * n * (3 * d * d + d * d + 8 * d * d) + 6 * n * d * 28;
    expect(gptStepFlops(spec, 8)).toBeGreaterThan(matmuls);
    expect(gptStepFlops(spec, 8)).toBeLessThan(1.5 * matmuls);
    expect(gptFragmentFlops(spec, 10, 8)).toBe(10 * gptStepFlops(spec, 8));
  });
});

describe("GPT reference", () => {
  // Weights away from the init so every slice (gains, biases, both layers) has a gradient worth checking.
  const layout = gptSlices(tiny);
  const w0 = initGptWeights(tiny, 3);
  const noise = randomArray(layout.total, 4, -0.4, 0.4);
  const weights = w0.map((v, i) => v + noise[i]);
  const tokens = windows([0, 1, 2, 3, 4, 1, 3, 0, 2, 4, 4, 1], 4).subarray(0, 3 * 5);

  it("has a forward equal to a float64 model and the gradient of its finite differences, in every slice", () => {
    const { loss, grad } = gptLossAndGradient(tiny, weights, tokens);
    const w64 = Float64Array.from(weights);
    expect(loss).toBeCloseTo(gptLoss64(tiny, w64, tokens), 5);
    expect(gptLoss(tiny, weights, tokens)).toBe(loss);
    for (const s of layout.all) {
      let scale = 1e-3;
      let err = 0;
      // Up to 12 parameters per slice, spread over it (both ends included).
      const stride = Math.max(1, Math.floor((s.length - 1) / 11));
      for (let i = s.offset; i < s.offset + s.length; i += stride) {
        const fd = centralDifference((x) => gptLoss64(tiny, x, tokens), w64, i, 1e-5);
        scale = Math.max(scale, Math.abs(fd));
        err = Math.max(err, Math.abs(grad[i] - fd));
      }
      expect(err / scale, s.name).toBeLessThan(1e-4); // seen: ≤ 1e-6
    }
  }, 60_000);

  it("lowers the loss on a repetitive sequence, and evaluates it", () => {
    const seq = Array.from({ length: 40 }, (_, i) => [0, 1, 2, 3, 1, 4][i % 6]);
    const shard = { tokens: windows(seq, 4) };
    const input: GptFragmentInput = { spec: tiny, weights: initGptWeights(tiny, 5), shard, steps: 40, batch: 4, lr: 0.02, seed: 9 };
    const before = evaluateGpt(tiny, input.weights, shard.tokens);
    expect(before.count).toBe((shard.tokens.length / 5) * 4);
    expect(before.loss).toBeCloseTo(Math.log(5), 1);
    const r = runGptFragmentReference(input);
    expect(r.stepLosses).toHaveLength(40);
    expect(r.stepLosses[39]).toBeLessThan(0.5 * r.stepLosses[0]);
    expect(r.meanLoss).toBeCloseTo(r.stepLosses.reduce((a, b) => a + b, 0) / 40, 6);
    const after = evaluateGpt(tiny, input.weights.map((v, i) => v + r.delta[i]), shard.tokens);
    expect(after.loss).toBeLessThan(0.5 * before.loss);
  });

  it("is deterministic: two runs are bit-identical, another seed differs", () => {
    const shard = { tokens: windows([0, 1, 2, 3, 4, 3, 2, 1, 0, 0, 1, 2, 4, 4, 3], 4) };
    const input: GptFragmentInput = { spec: tiny, weights: initGptWeights(tiny, 1), shard, steps: 3, batch: 2, lr: 0.01, seed: 2 };
    const a = runGptFragmentReference(input);
    const b = runGptFragmentReference(input);
    expect(b.delta).toEqual(a.delta);
    expect(b.stepLosses).toEqual(a.stepLosses);
    expect(runGptFragmentReference({ ...input, seed: 3 }).delta).not.toEqual(a.delta);
  });

  it("only lets a prefix see itself: logits of position i ignore later tokens", () => {
    const w = initGptWeights(tiny, 1);
    const a = gptForward(tiny, w, [1, 2, 3, 4], 1, 4);
    const b = gptForward(tiny, w, [1, 2, 0, 0], 1, 4);
    const short = gptForward(tiny, w, [1, 2], 1, 2);
    expect(b.subarray(0, 10)).toEqual(a.subarray(0, 10));
    expect(short).toEqual(a.subarray(0, 10));
  });

  it("rejects bad input with FragmentInputError", () => {
    const shard = { tokens: windows([0, 1, 2, 3, 4, 3, 2], 4) };
    const input: GptFragmentInput = { spec: tiny, weights: initGptWeights(tiny, 1), shard, steps: 1, batch: 1, lr: 0.01, seed: 0 };
    expect(() => runGptFragmentReference({ ...input, shard: { tokens: Uint32Array.from([0, 1, 2]) } })).toThrow(FragmentInputError);
    expect(() => runGptFragmentReference({ ...input, shard: { tokens: Uint32Array.from([0, 1, 2, 3, 5]) } })).toThrow(/token 5/);
    expect(() => runGptFragmentReference({ ...input, weights: new Float32Array(3) })).toThrow(/weights/);
    expect(() => runGptFragmentReference({ ...input, spec: { ...tiny, heads: 3 } })).toThrow(FragmentInputError);
  });
});
