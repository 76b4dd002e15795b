import { describe, expect, it } from "vitest";
import { gptForwardFlops, gptParameterCount, type GptSpec } from "@/lib/compute";
import {
  continuationProblem,
  continuationsAgree,
  continueGreedy,
  decodePromptShard,
  encodeContinuations,
  encodePromptShard,
  gptInferenceFlops,
  greedyToken,
} from "./inference-tokens";

const spec: GptSpec = { kind: "gpt", layers: 2, heads: 2, dim: 16, context: 8, vocab: 7, tied: true };

describe("language-model inference (greedy continuations)", () => {
  it("round-trips a CXPR prompt shard and refuses a prompt over the context, a token outside the vocabulary and bad bytes", () => {
    const prompts = [[1, 2, 3], [], [6, 6, 6, 6, 6, 6, 6]];
    const bytes = encodePromptShard(prompts, spec.context, spec.vocab);
    expect(decodePromptShard(bytes).prompts.map((p) => Array.from(p))).toEqual(prompts);
    expect(() => encodePromptShard([[1, 1, 1, 1, 1, 1, 1, 1]], 8, 7)).toThrow(/8 tokens; the context \(8\) holds 7/);
    expect(() => encodePromptShard([[7]], 8, 7)).toThrow(/token 7 is not in \[0, 7\)/);
    expect(() => decodePromptShard(bytes.slice(0, bytes.length - 2))).toThrow(/header says/);
    const dirty = bytes.slice();
    dirty[24 + 2 * 5] = 1; // prompt 0's padding after its 3 tokens
    expect(() => decodePromptShard(dirty)).toThrow(/padding is not zero/);
  });

  it("breaks ties to the lowest id and never picks NaN", () => {
    expect(greedyToken([0.5, 2, 2, 1])).toBe(1);
    expect(greedyToken([NaN, 1, 3, 3])).toBe(0); // NaN first: nothing compares greater than it… by the rule, and every backend applies the same rule
    expect(greedyToken([1, NaN, 3])).toBe(2);
  });

  it("stops at the boundary token and at maxTokens", () => {
    // A fake model that counts up from the last token and draws the boundary after token 3.
    const logits = (window: Uint32Array, length: number) => {
      const z = new Float32Array(spec.vocab);
      z[(window[length - 1]! + 1) % 4] = 1;
      return z;
    };
    expect(continueGreedy([1], 10, spec.context, logits)).toEqual([2, 3]);
    expect(continueGreedy([], 1, spec.context, logits)).toEqual([1]);
  });

  it("checks a submitted body: counts, token ids, zero padding; agreement is exact", () => {
    const good = encodeContinuations([[1, 2], [], [6, 6, 6]], 3);
    expect(continuationProblem(good, 3, 7)).toBeNull();
    const over = good.slice();
    over[0] = 4;
    expect(continuationProblem(over, 3, 7)).toMatch(/prompt 0: token count 4 is not an integer in \[0, 3\]/);
    const zero = good.slice();
    zero[1] = 0;
    expect(continuationProblem(zero, 3, 7)).toMatch(/prompt 0: token 0 is not an id in \[1, 7\)/);
    const tail = good.slice();
    tail[3] = 5;
    expect(continuationProblem(tail, 3, 7)).toMatch(/prompt 0: value 5 after the last token is not 0/);
    const flipped = good.slice();
    flipped[2] = 3;
    expect(continuationsAgree(good, good.slice())).toBe(true);
    expect(continuationsAgree(good, flipped)).toBe(false);
    expect(continuationsAgree(good, good.subarray(4))).toBe(false);
  });

  it("counts work units as maxTokens full-context forward passes per prompt", () => {
    const f = gptForwardFlops(spec, 1);
    // The LM head alone is 2·T·D·V; the total is more than that and less than a training step's third.
    expect(f).toBeGreaterThan(2 * spec.context * spec.dim * spec.vocab);
    expect(f).toBeLessThan(12 * gptParameterCount(spec) * spec.context);
    expect(gptInferenceFlops(spec, 10, 5)).toBe(50 * f);
  });
});
