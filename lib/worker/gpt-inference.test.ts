import { describe, expect, it } from "vitest";
import { initGptWeights, type GptSpec } from "@/lib/compute";
import { continueGreedy, decodeContinuations, decodePromptShard, encodePromptShard, referenceContinuations, referenceWindowLogits } from "@/lib/protocol";
import { runGptInference, wasmWindowLogits } from "./compute";

const spec: GptSpec = { kind: "gpt", layers: 2, heads: 2, dim: 16, context: 8, vocab: 7, tied: true };
const weights = initGptWeights(spec, 11).map((w, i) => w * 4 + Math.sin(i) * 0.05);

describe("language-model inference on the worker (WASM) against the referee (CPU reference)", () => {
  it("the WASM path gives exactly the reference's logits and continuations (at every window length, including past the context)", async () => {
    const wasm = await wasmWindowLogits(spec, weights);
    const ref = referenceWindowLogits(spec, weights);
    const window = new Uint32Array(spec.context);
    for (let length = 1; length <= spec.context; length++) {
      window.fill(0);
      for (let j = 0; j < length; j++) window[j] = (j * 3 + 1) % spec.vocab;
      expect(Array.from(wasm(window, length))).toEqual(Array.from(ref(window, length)));
    }
    const prompts = [[1], [2, 3], [], [4, 5, 6, 1, 2, 3, 4]];
    const shard = decodePromptShard(encodePromptShard(prompts, spec.context, spec.vocab));
    const want = referenceContinuations(spec, weights, shard, 20);
    const got = await runGptInference({ spec, weights, shard, maxTokens: 20 });
    expect(Array.from(got.delta)).toEqual(Array.from(want));
    const continuations = decodeContinuations(want, 20);
    expect(continuations).toHaveLength(4);
    // Some prompt runs past the context (20 tokens after up to 8): the window slides and stays consistent.
    expect(continuations.some((c) => c.length > spec.context)).toBe(true);
    for (const [r, c] of continuations.entries()) expect(c).toEqual(continueGreedy(prompts[r]!, 20, spec.context, ref));
  });

});
