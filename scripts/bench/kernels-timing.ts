// Timing shared by the MLP and GPT parts of `npm run bench:kernels`' page.
export type Timing = { msPerStep: number; gflops: number; steps: number };

/**
 * Runs `steps(n)` for n = 1 (warm-up), then REPEATS times enough steps to fill minSeconds / REPEATS, and
 * reports the best repeat: on a shared machine, load bursts only ever slow a repeat down.
 */
const REPEATS = 3;
export async function time(flops: number, minSeconds: number, steps: (n: number) => Promise<void>): Promise<Timing> {
  await steps(1);
  let t0 = performance.now();
  await steps(1);
  const one = Math.max(1e-3, (performance.now() - t0) / 1000);
  const n = Math.max(1, Math.min(500, Math.round(minSeconds / REPEATS / one)));
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    t0 = performance.now();
    await steps(n);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { msPerStep: (best / n) * 1000, gflops: (flops * n) / best / 1e9, steps: n };
}
