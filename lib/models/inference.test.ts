import { describe, expect, it } from "vitest";
import { gptForward, initGptWeights, mlpLogits, sampleGpt, softmaxRows } from "@/lib/compute";
import { gptSafetensors } from "@/lib/scheduler/safetensors";
import { gptSpecOf, type GptConfig, type MlpConfig } from "./config";
import { digitImage } from "./digit";
import { encodePrefix, generateTokens, VocabularyError } from "./generate";
import { loadModel, normaliseRow } from "./inference";
import { encodeSafetensors, irisConfig, tensorsFor, tinyGptConfig } from "./test-fixtures";

const gpt = tinyGptConfig as GptConfig;

describe("Try it: classification", () => {
  it("normalises the raw row with the config's mean and std, then gives the forward pass's softmax (WASM and CPU alike)", async () => {
    const config = irisConfig as MlpConfig;
    const bytes = encodeSafetensors(tensorsFor(config));
    const raw = Float32Array.from([6.1, 2.8, 4.7, 1.2]);
    const x = normaliseRow(config, raw);
    expect(x[0]).toBeCloseTo((6.1 - 5.8) / 0.8, 6);
    for (const gpu of [true, false]) {
      const m = await loadModel(config, bytes, { gpu });
      if (m.kind !== "classifier") throw new Error("expected a classifier");
      // No WebGPU in Node: the WASM path.
      expect(m.backend).toBe("wasm");
      const weights = Float32Array.from({ length: 4 * 8 + 8 + 8 * 3 + 3 }, (_, i) => ((i % 97) - 48) / 100);
      const want = Array.from(softmaxRows(mlpLogits({ layers: [4, 8, 3], activation: "tanh" }, weights, x, 1), 3));
      expect(await m.classify(raw)).toEqual(want);
    }
    expect(() => normaliseRow(config, new Float32Array(3))).toThrow(/expected 4 inputs/);
  });
});

describe("Try it: generation", () => {
  const weights = initGptWeights(gptSpecOf(gpt), 11);
  const bytes = gptSafetensors(gptSpecOf(gpt), weights, {});

  it("with an empty prefix reproduces the job's seeded samples (sampleGpt), on WASM with windows padded to the context", async () => {
    const m = await loadModel(gpt, bytes);
    if (m.kind !== "generator") throw new Error("expected a generator");
    expect(m.backend).toBe("wasm");
    for (const seed of [1, 2, 3]) {
      const [want] = sampleGpt(gptSpecOf(gpt), weights, { seed, count: 1, maxLength: 20, boundaryToken: 0, temperature: 1 });
      expect(await m.generate("", { seed, temperature: 1, maxTokens: 20 })).toBe(want!.map((id) => gpt.vocabulary[id]).join(""));
    }
  });

  it("continues a prefix longer than the context with the reference's logits of the last window", async () => {
    const m = await loadModel(gpt, bytes);
    if (m.kind !== "generator") throw new Error("expected a generator");
    const logits = (w: number[]) => gptForward(gptSpecOf(gpt), weights, w, 1, w.length).slice((w.length - 1) * gpt.vocab);
    const prefix = encodePrefix(gpt, "abcdabcdab");
    const ids = await generateTokens(gpt, logits, prefix, { seed: 9, temperature: 0.7, maxTokens: 12 });
    expect(await m.generate("abcdabcdab", { seed: 9, temperature: 0.7, maxTokens: 12 })).toBe(ids.map((i) => gpt.vocabulary[i]).join(""));
    // Temperature 0 is greedy: the same text whatever the seed.
    expect(await m.generate("ab", { seed: 1, temperature: 0, maxTokens: 8 })).toBe(await m.generate("ab", { seed: 2, temperature: 0, maxTokens: 8 }));
  });

  it("refuses a character outside the vocabulary, naming it", () => {
    expect(() => encodePrefix(gpt, "abz")).toThrow(VocabularyError);
    expect(() => encodePrefix(gpt, "abz")).toThrow(/"z" \(position 3\)/);
  });
});

describe("Try it: the drawn digit", () => {
  /** A 100 × 100 drawing with a filled rectangle of ink. */
  const drawing = (x0: number, y0: number, x1: number, y1: number) => {
    const ink = new Uint8ClampedArray(100 * 100);
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * 100 + x] = 255;
    return { ink, width: 100, height: 100 };
  };
  const centre = (img: Float32Array) => {
    let m = 0, cx = 0, cy = 0;
    img.forEach((v, i) => ((m += v), (cx += v * ((i % 28) + 0.5)), (cy += v * (Math.floor(i / 28) + 0.5))));
    return [cx / m, cy / m];
  };
  it("fits the ink's longer side to 20 pixels and centres its mass, wherever and however large it was drawn", () => {
    for (const [x0, y0, x1, y1] of [[10, 10, 20, 90], [70, 5, 90, 45], [40, 40, 45, 45]] as const) {
      const img = digitImage(drawing(x0, y0, x1, y1));
      const rows = new Set<number>();
      const cols = new Set<number>();
      img.forEach((v, i) => v > 0 && (rows.add(Math.floor(i / 28)), cols.add(i % 28)));
      expect(Math.max(rows.size, cols.size)).toBe(20);
      const [cx, cy] = centre(img);
      expect(Math.abs(cx! - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(cy! - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.max(...img)).toBeLessThanOrEqual(255);
    }
  });
  it("keeps the aspect ratio and averages partial pixels into grey levels", () => {
    const img = digitImage(drawing(10, 10, 20, 90)); // 10 × 80 → 3 × 20 (2.5 rounded)
    const cols = new Set<number>();
    img.forEach((v, i) => v > 0 && cols.add(i % 28));
    expect(cols.size).toBe(3);
    const diagonal = { ink: new Uint8ClampedArray(100 * 100), width: 100, height: 100 };
    for (let y = 10; y < 90; y++) for (let x = y - 2; x <= y + 2; x++) diagonal.ink[y * 100 + x] = 255;
    const grey = digitImage(diagonal).filter((v) => v > 0 && v < 255);
    expect(grey.length).toBeGreaterThan(10);
  });
  it("gives an empty image for an empty drawing", () => {
    expect(digitImage({ ink: new Uint8ClampedArray(400), width: 20, height: 20 }).every((v) => v === 0)).toBe(true);
  });
});
