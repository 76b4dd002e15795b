import { describe, expect, it } from "vitest";
import { initGptWeights, initWeights, mlpLogits, runFragmentWasm, runGptFragmentReference, type MlpSpec } from "@/lib/compute";
import { encodeClassifications } from "@/lib/protocol";
import { toyShard } from "@/lib/compute/test-data";
import { AbortedError, runFragment, runGptFragment, runInference, wasmBackend, type ComputeBackend } from "./compute";

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

describe("runGptFragment (a GPT lease on the worker's device)", () => {
  const gpt = { kind: "gpt", layers: 1, heads: 2, dim: 8, context: 4, vocab: 6, tied: true } as const;
  const tokens = Uint32Array.from({ length: 12 * 5 }, (_, i) => (i * 7 + 3) % 6);
  const gptInput = { spec: gpt, weights: initGptWeights(gpt, 9), shard: { tokens }, steps: 5, batch: 3, lr: 0.01, seed: 11 };

  it("reports progress per chunk of steps, as an MLP fragment does, bit-identical to the reference however the steps are cut", async () => {
    const progress: number[] = [];
    const got = await runGptFragment(wasmBackend(), gptInput, { chunkSteps: 2, onProgress: (p) => progress.push(p.step) });
    const want = runGptFragmentReference(gptInput);
    expect(progress).toEqual([2, 4, 5]);
    expect(Array.from(got.stepLosses)).toEqual(Array.from(want.stepLosses));
    expect(Buffer.from(got.delta.buffer).equals(Buffer.from(want.delta.buffer))).toBe(true);
    const measured: number[] = [];
    const adaptive = await runGptFragment(wasmBackend(), gptInput, { onProgress: (p) => measured.push(p.step) });
    expect(measured[0]).toBe(1);
    expect(measured.at(-1)).toBe(gptInput.steps);
    expect(Buffer.from(adaptive.delta.buffer).equals(Buffer.from(want.delta.buffer))).toBe(true);
  });

  it("holds between steps while paused and stops there when cancelled", async () => {
    const ac = new AbortController();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const progress: number[] = [];
    const run = runGptFragment(wasmBackend(), gptInput, {
      chunkSteps: 1, signal: ac.signal,
      gate: () => (progress.length >= 2 ? gate : Promise.resolve()),
      onProgress: (p) => progress.push(p.step),
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(progress).toEqual([1, 2]);
    ac.abort();
    release();
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(progress).toEqual([1, 2]);
  });

  it("stops before computing when the signal is already aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(runGptFragment(wasmBackend(), gptInput, { signal: ac.signal })).rejects.toBeInstanceOf(AbortedError);
  });
});

describe("runInference (inference fragments, in chunks of rows)", () => {
  it("gives the referee's records bit for bit whatever the chunking, and reports progress in rows", async () => {
    const shard = toyShard(37, 6, 3, 5);
    const weights = initWeights(spec, 11);
    const want = encodeClassifications(mlpLogits(spec, weights, shard.features, 37), 3);
    const seen: number[] = [];
    const got = await runInference(wasmBackend(), { spec, weights, shard }, { chunkSteps: 10, onProgress: (p) => seen.push(p.step) });
    expect(Array.from(got.delta)).toEqual(Array.from(want));
    expect(got.meanLoss).toBe(0);
    expect(seen).toEqual([10, 20, 30, 37]);
  });
});
