import { describe, expect, it } from "vitest";
import { forwardFlops, initWeights, mlpLogits, MlpWasmPredictor, softmaxRows } from "@/lib/compute";
import { encodeTable } from "@/lib/datasets/client";
import {
  classificationProblem, classificationsAgree, decodeClassifications, encodeClassifications, INFERENCE_TOLERANCE, inferenceFragmentFlops, inferenceResultLength, isInferenceSpec,
  referenceInference, type InferenceSpec,
} from "./inference";

const spec = {
  kind: "inference",
  model: { kind: "mlp", layers: [3, 5, 4], activation: "relu" },
  dataset: { mean: [0, 0, 0], std: [1, 1, 1] },
  shards: [{ sha256: "0".repeat(64), rows: 3 }, { sha256: "1".repeat(64), rows: 1 }],
  inference: { tolerance: { probability: INFERENCE_TOLERANCE.probability } },
} as unknown as InferenceSpec;

describe("inference results (lib/protocol)", () => {
  it("encodes per row the argmax class (ties to the lowest id) and the softmax probabilities", () => {
    const out = encodeClassifications(Float32Array.from([1, 3, 3, 0, 0, 0, 0, 0]), 4);
    const rows = decodeClassifications(out, 4);
    expect(rows.map((r) => r.cls)).toEqual([1, 0]);
    expect(Array.from(rows[1]!.probabilities)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(rows[0]!.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it("the probabilities are softmaxRows' float64 values rounded once, bit for bit", () => {
    let u = 7;
    const logits = Float32Array.from({ length: 50 * 10 }, () => ((u = (u * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 40);
    const probs = softmaxRows(logits, 10);
    const out = encodeClassifications(logits, 10);
    for (let r = 0; r < 50; r++) for (let c = 0; c < 10; c++) expect(out[r * 11 + 1 + c]).toBe(Math.fround(probs[r * 10 + c]!));
  });

  it("agrees on equal classes and probabilities within the tolerance, and on nothing else", () => {
    const a = Float32Array.from([2, 0.1, 0.2, 0.7]);
    expect(classificationsAgree(a, Float32Array.from([2, 0.1 + 5e-5, 0.2, 0.7 - 5e-5]), 3)).toBe(true);
    expect(classificationsAgree(a, Float32Array.from([2, 0.1 + 5e-4, 0.2, 0.7]), 3)).toBe(false);
    expect(classificationsAgree(a, Float32Array.from([1, 0.1, 0.2, 0.7]), 3)).toBe(false);
    expect(classificationsAgree(a, a.subarray(0, 3), 3)).toBe(false);
  });

  it("names what makes a body not a classifier's output", () => {
    expect(classificationProblem(Float32Array.from([2, 0.1, 0.2, 0.7]), 3)).toBeNull();
    expect(classificationProblem(Float32Array.from([3, 0.1, 0.2, 0.7]), 3)).toMatch(/row 0: class 3/);
    expect(classificationProblem(Float32Array.from([0, 0, 0, 1, 1.5, 0.1, 0.2, 0.7]), 3)).toMatch(/row 1: class 1.5/);
    expect(classificationProblem(Float32Array.from([0, -0.1, 0.2, 0.7]), 3)).toMatch(/probability/);
  });

  it("sizes a fragment's result and work units by its own rows", () => {
    expect(isInferenceSpec(spec)).toBe(true);
    expect(inferenceResultLength(spec, 0)).toBe(3 * 5);
    expect(inferenceResultLength(spec, 1)).toBe(5);
    expect(inferenceFragmentFlops(spec, 0)).toBe(forwardFlops({ layers: [3, 5, 4], activation: "relu" }, 3));
    // matmuls 2·3·5 + 2·5·4, bias 5 + 4, relu 5, output 4·4 = 30 + 40 + 9 + 5 + 16 per row
    expect(forwardFlops({ layers: [3, 5, 4], activation: "relu" }, 2)).toBe(2 * 100);
  });

  it("the referee's outputs equal the WASM predictor's bit for bit (the workers' default path)", async () => {
    const mlp = { layers: [3, 5, 4], activation: "relu" as const };
    const w = initWeights(mlp, 9);
    const x = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i));
    const bytes = encodeTable({ rows: 4, features: 3, classes: 4, x, y: new Uint32Array(4) });
    const ref = referenceInference(spec, w, bytes);
    const wasm = encodeClassifications((await MlpWasmPredictor.create(mlp, w)).logits(x, 4), 4);
    expect(Array.from(wasm)).toEqual(Array.from(ref));
    expect(Array.from(ref)).toEqual(Array.from(encodeClassifications(mlpLogits(mlp, w, x, 4), 4)));
  });
});
