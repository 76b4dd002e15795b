import { describe, expect, it } from "vitest";
import { initWeights, runFragmentReference, type MlpSpec } from "@/lib/compute";
import { toyShard } from "@/lib/compute/test-data";
import { runFragment, wasmBackend, type ComputeBackend } from "./compute";

const spec: MlpSpec = { layers: [6, 8, 3], activation: "tanh" };
const input = { spec, weights: initWeights(spec, 5), shard: toyShard(50, 6, 3, 11), steps: 40, batch: 4, lr: 0.1, seed: 7 };

/** The WASM backend, but each step seems to take `msPerStep`: chunks get resized as on a slow browser device. */
function clockedBackend(msPerStep: number): ComputeBackend {
  const inner = wasmBackend();
  return {
    device: inner.device,
    trainer: async (s, batch) => {
      const t = await inner.trainer(s, batch);
      return {
        setShard: (sh) => t.setShard(sh),
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

describe("runFragment (the workers' chunked loop)", () => {
  // The default sizes chunks from the first one's time (1 step, then ~250 ms worth): every step must
  // still run once, in order. A loop that advanced by the resized chunk skipped steps, so the accepted
  // deltas of CLI and browser workers were not the fragment the referee recomputes.
  it("with adaptive chunks computes every step: the same delta and per-step losses as the reference", async () => {
    const ref = runFragmentReference(input);
    const steps: number[] = [];
    const out = await runFragment(wasmBackend(), input, { onProgress: (p) => steps.push(p.step) });
    expect(steps[0]).toBe(1);
    expect(steps.at(-1)).toBe(40);
    expect(Array.from(out.stepLosses)).toEqual(Array.from(ref.stepLosses));
    expect(Array.from(out.delta)).toEqual(Array.from(ref.delta));
  });

  it("with fixed chunks too", async () => {
    const ref = runFragmentReference(input);
    const out = await runFragment(wasmBackend(), input, { chunkSteps: 7 });
    expect(Array.from(out.delta)).toEqual(Array.from(ref.delta));
  });

  // The browser tab's regime (SwiftShader: tens of ms a step): chunks of 1, then several steps, then
  // the remainder — the sequence that ran 3 of 20 steps on /worker before the fix.
  it("with chunks resized from ~20 ms steps, every step runs once", async () => {
    const ref = runFragmentReference(input);
    const sizes: number[] = [];
    let last = 0;
    const out = await runFragment(clockedBackend(20), input, { onProgress: (p) => (sizes.push(p.step - last), (last = p.step)) });
    expect(new Set(sizes).size, `chunk sizes ${sizes.join(",")}`).toBeGreaterThan(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(40);
    expect(Array.from(out.delta)).toEqual(Array.from(ref.delta));
  });
});
