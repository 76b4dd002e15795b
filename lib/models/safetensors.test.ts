import { describe, expect, it } from "vitest";
import { initGptWeights, initWeights } from "@/lib/compute";
import { gptSafetensors, safetensors } from "@/lib/scheduler/safetensors";
import { expectedTensors, gptSpecOf, modelConfigSchema, type ModelConfig } from "./config";
import { readSafetensors, SafetensorsError, SafetensorsValidator } from "./safetensors";
import { encodeSafetensors, irisConfig, tensorsFor, tinyGptConfig } from "./test-fixtures";

/** Feeds the file in chunks of `size` bytes (1 = byte by byte) and returns the error, if any. */
function check(bytes: Uint8Array, config: ModelConfig, size = bytes.length): SafetensorsError | null {
  const v = new SafetensorsValidator(expectedTensors(config));
  try {
    for (let i = 0; i < bytes.length; i += size) v.push(bytes.subarray(i, i + size));
    v.finish();
    return null;
  } catch (e) {
    if (e instanceof SafetensorsError) return e;
    throw e;
  }
}

const good = () => tensorsFor(irisConfig);

describe("the safetensors validator", () => {
  it("accepts what GET /api/jobs/{id}/model writes, for an MLP and a GPT, in any chunking", () => {
    const w = initWeights({ layers: [4, 8, 3], activation: "tanh" }, 3);
    const mlp = safetensors([4, 8, 3], w, { job: "x" });
    const g = initGptWeights(gptSpecOf(tinyGptConfig as Extract<ModelConfig, { kind: "gpt" }>), 5);
    const gpt = gptSafetensors(gptSpecOf(tinyGptConfig as Extract<ModelConfig, { kind: "gpt" }>), g, { job: "y" });
    for (const size of [1, 3, 7, 64, 1 << 20]) {
      expect(check(mlp, irisConfig, size)).toBeNull();
      expect(check(gpt, tinyGptConfig, size)).toBeNull();
    }
    expect(readSafetensors(mlp, expectedTensors(irisConfig)).weights).toEqual(w);
    expect(readSafetensors(gpt, expectedTensors(tinyGptConfig)).weights).toEqual(g);
  });

  it("reads tensors stored in any order into the flat layout", () => {
    const t = good();
    const reversed = Object.fromEntries(Object.entries(t).reverse());
    const { weights } = readSafetensors(encodeSafetensors(reversed), expectedTensors(irisConfig));
    expect(weights[0]).toBeCloseTo(-0.48, 6);
    expect(weights[4 * 8]).toBe(t["layers.0.bias"]!.values![0]);
  });

  const refusals: [string, () => Uint8Array, string, RegExp, Record<string, unknown>][] = [
    ["a wrong shape", () => encodeSafetensors({ ...good(), "layers.0.weight": { shape: [8, 4] } }), "safetensors_mismatch", /"layers\.0\.weight" has shape \[8, 4\], the config needs \[4, 8\]/, { tensor: "layers.0.weight", field: "shape" }],
    ["a missing tensor", () => { const t = good(); delete t["layers.1.bias"]; return encodeSafetensors(t); }, "safetensors_mismatch", /"layers\.1\.bias" is missing/, { tensor: "layers.1.bias" }],
    ["an extra tensor", () => encodeSafetensors({ ...good(), "layers.2.weight": { shape: [3, 3] } }), "safetensors_mismatch", /"layers\.2\.weight" is not part of the config/, { tensor: "layers.2.weight" }],
    ["another dtype", () => encodeSafetensors({ ...good(), "layers.0.bias": { dtype: "F64", shape: [4], values: new Float32Array(8) } }), "safetensors_mismatch", /"layers\.0\.bias" is F64, expected F32/, { tensor: "layers.0.bias", field: "dtype" }],
    ["a NaN", () => encodeSafetensors({ ...good(), "layers.1.weight": { shape: [8, 3], values: Float32Array.from({ length: 24 }, (_, i) => (i === 13 ? NaN : 0.5)) } }), "safetensors_not_finite", /"layers\.1\.weight" holds NaN at index 13/, { tensor: "layers.1.weight", index: 13 }],
    ["an infinity", () => encodeSafetensors({ ...good(), "layers.0.bias": { shape: [8], values: Float32Array.from({ length: 8 }, (_, i) => (i === 7 ? -Infinity : 1)) } }), "safetensors_not_finite", /"layers\.0\.bias" holds -Infinity at index 7/, { tensor: "layers.0.bias", index: 7 }],
    ["a truncated header", () => encodeSafetensors(good()).subarray(0, 40), "safetensors_malformed", /truncated header/, { field: "header" }],
    ["a file shorter than the length field", () => new Uint8Array([1, 2, 3]), "safetensors_malformed", /shorter than the 8-byte header length/, { field: "header length" }],
    ["truncated data", () => { const b = encodeSafetensors(good()); return b.subarray(0, b.length - 6); }, "safetensors_malformed", /truncated data.*"layers\.1\.bias" is cut/, { tensor: "layers.1.bias" }],
    ["trailing bytes", () => { const b = encodeSafetensors(good()); const out = new Uint8Array(b.length + 4); out.set(b); return out; }, "safetensors_malformed", /longer than its header says/, {}],
    ["a header length beyond the limit", () => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 1n << 40n, true); return b; }, "safetensors_malformed", /header length \d+ is outside/, { field: "header length" }],
    ["a header that is not JSON", () => encodeSafetensors(good(), { rawHeader: "{nope" }), "safetensors_malformed", /not UTF-8 JSON/, {}],
    ["offsets that do not match the shape", () => encodeSafetensors({ ...good(), "layers.0.bias": { shape: [8], data_offsets: [128, 156] } }), "safetensors_malformed", /"layers\.0\.bias": data_offsets \[128, 156\] hold 28 bytes, F32 \[8\] needs 32/, { tensor: "layers.0.bias", field: "data_offsets" }],
    ["overlapping tensors", () => encodeSafetensors({ "layers.0.weight": { shape: [4, 8] }, "layers.0.bias": { shape: [8], data_offsets: [96, 128] }, "layers.1.weight": { shape: [8, 3] }, "layers.1.bias": { shape: [3] } }), "safetensors_malformed", /overlaps the tensor before it/, { field: "data_offsets" }],
    ["an unknown dtype", () => encodeSafetensors({ ...good(), "layers.0.bias": { dtype: "Q4", shape: [8] } }), "safetensors_malformed", /unknown dtype "Q4"/, { tensor: "layers.0.bias", field: "dtype" }],
  ];
  for (const [what, make, code, message, details] of refusals) {
    it(`refuses ${what}: ${code}, naming where`, () => {
      const bytes = make();
      for (const size of [1, 5, bytes.length]) {
        const e = check(bytes, irisConfig, size);
        expect(e, `chunks of ${size}`).not.toBeNull();
        expect(e!.code).toBe(code);
        expect(e!.message).toMatch(message);
        expect(e!.details).toMatchObject(details);
      }
    });
  }

  it("refuses a file made for another config (a mismatched config): the first tensor that differs is named", () => {
    const bytes = encodeSafetensors(tensorsFor(irisConfig));
    const other = modelConfigSchema.parse({ kind: "mlp", layers: [4, 16, 3], activation: "tanh" });
    const e = check(bytes, other)!;
    expect(e.code).toBe("safetensors_mismatch");
    expect(e.message).toMatch(/"layers\.0\.weight" has shape \[4, 8\], the config needs \[4, 16\]/);
    expect(check(bytes, tinyGptConfig)!.message).toMatch(/"wte" is missing/);
  });

  it("stops at the header: a bad tensor is refused before any of the data arrives", () => {
    const bytes = encodeSafetensors({ ...good(), "layers.0.weight": { shape: [8, 4] } });
    const headerEnd = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const v = new SafetensorsValidator(expectedTensors(irisConfig));
    expect(() => v.push(bytes.subarray(0, headerEnd))).toThrow(/has shape \[8, 4\]/);
  });
});

describe("the registry config", () => {
  const issues = (value: unknown) => {
    const r = modelConfigSchema.safeParse(value);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it("accepts the fixtures and names every inconsistent field", () => {
    expect(issues(irisConfig)).toEqual([]);
    expect(issues(tinyGptConfig)).toEqual([]);
    expect(issues({ ...irisConfig, classes: ["a", "b"] })).toEqual(["classes: must name 3 classes (the last layer), got 2"]);
    expect(issues({ ...irisConfig, normalisation: { mean: [0], std: [1, 1, 1, 1] } })).toEqual(["normalisation.mean: must hold 4 values (layers[0]), got 1"]);
    expect(issues({ ...irisConfig, image: { width: 2, height: 3 } })).toEqual(["image: 2 × 3 pixels is not layers[0] = 4"]);
    expect(issues({ ...irisConfig, classes: undefined, layers: [4, 8, 1] })).toEqual(["layers.2: a classifier needs at least 2 classes"]);
    expect(issues({ ...irisConfig, extra: 1 })[0]).toMatch(/Unrecognized key/);
    expect(issues({ ...tinyGptConfig, heads: 3 })).toEqual(["heads: heads must divide dim (8)"]);
    expect(issues({ ...tinyGptConfig, vocabulary: ["a", "\n", "b", "c", "d"] })).toEqual(['vocabulary.0: must be the boundary "\\n"']);
    expect(issues({ ...tinyGptConfig, vocab: 4 })).toEqual(["vocabulary: must hold vocab = 4 tokens, got 5"]);
    expect(issues({ ...tinyGptConfig, layers: 16, dim: 1024, heads: 8 })[0]).toMatch(/^dim: the model has \d+ parameters, the limit is 10000000/);
  });
});
