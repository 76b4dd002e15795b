import { describe, expect, it } from "vitest";
import { initWeights, runFragmentReference, type MlpSpec } from "@/lib/compute";
import { toyShard } from "@/lib/compute/test-data";
import { runFragment, wasmBackend } from "./compute";

const spec: MlpSpec = { layers: [6, 8, 3], activation: "tanh" };
const input = { spec, weights: initWeights(spec, 5), shard: toyShard(50, 6, 3, 11), steps: 40, batch: 4, lr: 0.1, seed: 7 };

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
});
