import { describe, expect, it } from "vitest";
import { FragmentInputError } from "../fragment";
import { initGptWeights, type GptSpec } from "../gpt/model";
import { adamBiasCorrections, ADAM_BETA1, ADAM_BETA2, ADAM_EPS } from "../kernels/adamw";
import { adamwParams, adamwUpdateWgsl, clipPartialsWgsl, clipScaleWgsl } from "../kernels/adamw.wgsl";
import { attentionBackwardKeyValueWgsl, attentionBackwardQueryWgsl, attentionForwardWgsl } from "../kernels/attention.wgsl";
import { embeddingBackwardWgsl, embeddingForwardWgsl, gatherTokensWgsl } from "../kernels/embedding.wgsl";
import { geluBackwardWgsl, geluForwardWgsl } from "../kernels/gelu.wgsl";
import { f32Lit, flatGrid, WG } from "../kernels/gpt-common.wgsl";
import { layerNormBackwardWgsl, layerNormForwardWgsl } from "../kernels/layernorm.wgsl";
import { linearWgsl } from "../kernels/linear.wgsl";
import { WebGpuUnavailableError } from "./index";
import { gptLargestBuffer, runGptFragmentWebGpu } from "./gpt";

// The WGSL itself runs in the browser test (e2e/compute/gpt-kernels.spec.ts); these are the host-side pieces.

const programs: Record<string, string> = {
  gatherTokensWgsl,
  embeddingForwardWgsl,
  embeddingBackwardWgsl,
  layerNormForwardWgsl,
  layerNormBackward: layerNormBackwardWgsl({ accumulate: false }),
  layerNormBackwardAcc: layerNormBackwardWgsl({ accumulate: true }),
  attentionForwardWgsl,
  attentionBackwardQueryWgsl,
  attentionBackwardKeyValueWgsl,
  geluForwardWgsl,
  geluBackwardWgsl,
  clipPartialsWgsl,
  clipScaleWgsl,
  adamwUpdateWgsl,
  linearNn: linearWgsl("nn", true),
  linearNnResidual: linearWgsl("nn", true, true),
  linearNt: linearWgsl("nt", false),
  linearTn: linearWgsl("tn", true),
};

describe("GPT WGSL programs", () => {
  it.each(Object.entries(programs))("%s fits WebGPU's default limits and the trainer's 64-byte uniform slots", (_, code) => {
    // WebGPU's default maxStorageBuffersPerShaderStage is 8: a program over it fails on real devices only.
    expect((code.match(/var<storage/g) ?? []).length).toBeLessThanOrEqual(8);
    const params = /struct Params \{([^}]*)\}/.exec(code);
    expect(params).not.toBeNull();
    const fields = params![1].split(",").filter((s) => s.trim() !== "");
    expect(fields.every((s) => /:\s*(u32|f32)\s*$/.test(s))).toBe(true);
    expect(fields.length * 4).toBeLessThanOrEqual(64);
    expect(code).toContain("@compute");
  });

  it("writes constants as f32 literals of the reference's float32 values", () => {
    for (const x of [0.9, 0.95, 1e-8, 1e-5, Math.sqrt(2 / Math.PI), 1, 0, -0.5]) {
      const lit = f32Lit(x);
      expect(lit.endsWith("f")).toBe(true);
      expect(Math.fround(Number(lit.slice(0, -1)))).toBe(Math.fround(x));
      expect(Number(lit.slice(0, -1))).toBe(Math.fround(x));
    }
    expect(() => f32Lit(Infinity)).toThrow(RangeError);
    expect(() => f32Lit(1e39)).toThrow(RangeError);
  });

  it("covers every invocation with a grid of at most 65,535 workgroups a side", () => {
    for (const n of [0, 1, 64, 65, WG * 65535, WG * 65535 + 1, 10_000_000]) {
      const { x, y } = flatGrid(n);
      expect(x).toBeLessThanOrEqual(65535);
      expect(y).toBeLessThanOrEqual(65535);
      expect(x * y * WG).toBeGreaterThanOrEqual(n);
      expect((x * (y - 1)) * WG).toBeLessThan(Math.max(1, n));
    }
  });

  it("passes AdamW the reference's constants and bias corrections", () => {
    for (const step of [1, 2, 7, 1000]) {
      const buf = adamwParams({ n: 123, lr: 3e-4, wd: 0.1, step });
      expect(new Uint32Array(buf, 0, 1)[0]).toBe(123);
      const [lr, wd, b1, b2, c1, c2, eps, bc1, bc2] = new Float32Array(buf, 4, 9);
      const ref = adamBiasCorrections(step);
      expect([lr, wd, b1, b2, eps, bc1, bc2]).toEqual([Math.fround(3e-4), Math.fround(0.1), ADAM_BETA1, ADAM_BETA2, ADAM_EPS, ref.bc1, ref.bc2]);
      expect([c1, c2]).toEqual([Math.fround(1 - ADAM_BETA1), Math.fround(1 - ADAM_BETA2)]);
    }
  });

  it("puts the residual add only on a forward product with bias", () => {
    expect(() => linearWgsl("nt", false, true)).toThrow(RangeError);
    expect(() => linearWgsl("tn", true, true)).toThrow(RangeError);
    expect(linearWgsl("nn", true, true)).toContain("res[row * p.n + col] + (acc + w[");
  });
});

describe("runGptFragmentWebGpu", () => {
  const spec: GptSpec = { kind: "gpt", tied: true, layers: 1, heads: 2, dim: 8, context: 4, vocab: 7 };
  const input = { spec, weights: initGptWeights(spec, 1), shard: { tokens: new Uint32Array(5 * 3) }, steps: 2, batch: 2, lr: 1e-3, seed: 1 };

  it("checks its input like the other backends before looking for a GPU", async () => {
    await expect(runGptFragmentWebGpu({ ...input, batch: 0 })).rejects.toBeInstanceOf(FragmentInputError);
    await expect(runGptFragmentWebGpu({ ...input, shard: { tokens: Uint32Array.of(0, 1, 2, 3, 9) } })).rejects.toBeInstanceOf(FragmentInputError);
  });

  it("refuses with WebGpuUnavailableError where there is no WebGPU (Node)", async () => {
    await expect(runGptFragmentWebGpu(input)).rejects.toBeInstanceOf(WebGpuUnavailableError);
  });

  it("sizes its largest buffer from the logits, the MLP activations, the attention maps, the weights or the shard", () => {
    expect(gptLargestBuffer(spec, 2, 3)).toBe(4 * Math.max(2 * 4 * 7, 2 * 4 * 32, 2 * 2 * 16, initGptWeights(spec, 1).length, 15));
    const demo: GptSpec = { kind: "gpt", tied: true, layers: 2, heads: 4, dim: 64, context: 16, vocab: 28 };
    expect(gptLargestBuffer(demo, 1, 100)).toBe(4 * initGptWeights(demo, 1).length);
    expect(gptLargestBuffer(demo, 64, 100)).toBe(4 * 64 * 16 * 4 * 64);
    expect(gptLargestBuffer({ ...demo, vocab: 65536 }, 1024, 1)).toBe(4 * 1024 * 16 * 65536);
  });
});
