import { describe, expect, it } from "vitest";
import { evaluate, initWeights, mlpLogits, MlpWasmPredictor, softmaxRows, type MlpSpec } from ".";
import { toyShard } from "./test-data";

describe("MLP inference", () => {
  const specs: MlpSpec[] = [
    { layers: [7, 5, 3], activation: "relu" },
    { layers: [33, 17, 19, 4], activation: "tanh" },
  ];
  for (const spec of specs) {
    it(`${spec.layers.join("-")} ${spec.activation}: the logits give evaluate's loss and accuracy; WASM equals the reference bit for bit`, async () => {
      const rows = 23;
      const classes = spec.layers[spec.layers.length - 1]!;
      const shard = toyShard(rows, spec.layers[0]!, classes, 5);
      // Non-zero biases, so a forgotten bias row shows.
      const weights = initWeights(spec, 9).map((w, i) => w + (i % 7) * 0.01);
      const logits = mlpLogits(spec, weights, shard.features, rows);
      const probs = softmaxRows(logits, classes);
      let loss = 0;
      let correct = 0;
      for (let r = 0; r < rows; r++) {
        const p = probs.subarray(r * classes, (r + 1) * classes);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        loss -= Math.log(p[shard.labels[r]!]!);
        if (p.indexOf(Math.max(...p)) === shard.labels[r]) correct++;
      }
      const e = evaluate(spec, weights, shard);
      expect(loss / rows).toBeCloseTo(e.loss, 5);
      expect(correct / rows).toBe(e.accuracy);
      const wasm = await MlpWasmPredictor.create(spec, weights);
      expect(wasm.logits(shard.features, rows)).toEqual(logits);
      // Twice: the arena is reset between calls.
      expect(wasm.logits(shard.features.subarray(0, spec.layers[0]), 1)).toEqual(logits.subarray(0, classes));
    });
  }

  it("refuses inputs of the wrong size", () => {
    const spec: MlpSpec = { layers: [4, 3], activation: "relu" };
    expect(() => mlpLogits(spec, new Float32Array(15), new Float32Array(5), 1)).toThrow(/expected 1×4 features/);
    expect(() => mlpLogits(spec, new Float32Array(14), new Float32Array(4), 1)).toThrow(/the model needs 15/);
  });
});
