import { describe, expect, it } from "vitest";
import { initWeights, runFragmentReference, type FragmentInput } from "@/lib/compute";
import { toyShard } from "@/lib/compute/test-data";
import { runFragment, wasmBackend, type ComputeBackend } from "./compute";

function input(steps: number): FragmentInput {
  const spec = { layers: [20, 12, 4], activation: "relu" as const };
  return { spec, weights: initWeights(spec, 7), shard: toyShard(90, 20, 4, 8), steps, batch: 8, lr: 0.1, seed: 9 };
}

/** The WASM backend, but each chunk seems to take `msPerStep` per step: drives the adaptive chunk size. */
function clockedBackend(msPerStep: number): ComputeBackend {
  const inner = wasmBackend();
  return {
    device: inner.device,
    trainer: async (spec, batch) => {
      const t = await inner.trainer(spec, batch);
      return {
        setShard: (s) => t.setShard(s),
        setWeights: (w) => t.setWeights(w),
        weights: () => t.weights(),
        run: async (order, lr) => {
          const until = performance.now() + (order.length / batch) * msPerStep;
          const losses = await t.run(order, lr);
          while (performance.now() < until) await new Promise((r) => setTimeout(r, 1));
          return losses;
        },
      };
    },
  };
}

describe("runFragment (the worker's chunked compute)", () => {
  // Chunking must change nothing: every one of the K steps runs exactly once, in order, whatever size
  // the chunks are resized to — the WASM path is bit-identical to the reference.
  it.each([
    ["adaptive chunks on a fast backend", wasmBackend(), undefined],
    ["adaptive chunks resized from ~25 ms steps", clockedBackend(25), undefined],
    ["fixed chunks of 3 (the last one shorter)", wasmBackend(), 3],
  ] as const)("%s: every step runs once and the delta equals the reference", async (_name, backend, chunkSteps) => {
    const inp = input(20);
    const ref = runFragmentReference(inp);
    const steps: number[] = [];
    const r = await runFragment(backend, inp, { chunkSteps, onProgress: (p) => steps.push(p.step) });
    expect(steps.at(-1)).toBe(20);
    expect(Array.from(r.stepLosses)).toEqual(Array.from(ref.stepLosses));
    expect(r.delta).toEqual(ref.delta);
    expect(r.meanLoss).toBeCloseTo(ref.meanLoss, 6);
  });
});
