import { describe, expect, it } from "vitest";
import { initWeights, runFragmentWasm, type MlpSpec } from "@/lib/compute";
import { toyShard } from "@/lib/compute/test-data";
import { runFragment, wasmBackend, type ComputeBackend } from "./compute";

const spec: MlpSpec = { layers: [6, 8, 3], activation: "relu" };
const input = { spec, weights: initWeights(spec, 3), shard: toyShard(40, 6, 3, 9), steps: 25, batch: 4, lr: 0.1, seed: 77 };

/** The WASM backend, counting the steps its trainers are asked to run. */
function countingBackend(): ComputeBackend & { steps: number } {
  const inner = wasmBackend();
  const b = {
    device: inner.device,
    steps: 0,
    trainer: async (s: MlpSpec, batch: number) => {
      const t = await inner.trainer(s, batch);
      const run = t.run.bind(t);
      t.run = (order, lr) => {
        b.steps += order.length / batch;
        return run(order, lr);
      };
      return t;
    },
  };
  return b;
}

describe("runFragment (chunked, as workers run it)", () => {
  // Adaptive chunk sizing (no chunkSteps): the first chunk is one step, the next ones are resized from
  // its time. Every step must still run exactly once, in order.
  it("with chunks sized from the measured time, runs every step and matches runFragmentWasm bit for bit", async () => {
    const backend = countingBackend();
    const progress: number[] = [];
    const got = await runFragment(backend, input, { onProgress: (p) => progress.push(p.step) });
    const want = await runFragmentWasm(input);
    expect(backend.steps).toBe(input.steps);
    expect(progress.at(-1)).toBe(input.steps);
    expect(Array.from(got.stepLosses)).toEqual(Array.from(want.stepLosses));
    expect(got.meanLoss).toBe(want.meanLoss);
    expect(Buffer.from(got.delta.buffer).equals(Buffer.from(want.delta.buffer))).toBe(true);
  });

  it("with fixed chunks that do not divide K, runs every step once", async () => {
    const backend = countingBackend();
    const got = await runFragment(backend, input, { chunkSteps: 7 });
    expect(backend.steps).toBe(input.steps);
    expect(got.meanLoss).toBe((await runFragmentWasm(input)).meanLoss);
  });
});
