import { expect, test } from "@playwright/test";
import type { GptFragmentCase, GptLab, KernelDiff } from "./gpt-kernels-lab-entry";

/**
 * Every GPT WGSL kernel against its CPU reference, in headless Chromium (WebGPU on SwiftShader without a
 * GPU). Tolerance, per output: relative L2 error ≤ 1e-5 and max |Δ| ≤ 1e-5 · max(1, max |ref|). Kernels
 * made only of f32 multiplies and adds in the reference's order (matmuls, embedding, the sums) come out
 * bit-identical on SwiftShader (it does not fuse multiply-add); exp, tanh, sqrt and division may differ
 * from JavaScript's correctly rounded results by a few ulp, and the clip's chunked sum of squares rounds
 * in another order — those are what the tolerance covers.
 */
const REL_L2 = 1e-5;
const ABS = 1e-5;

const fmt = (d: KernelDiff) => `relL2 ${d.relativeL2.toExponential(2)} maxAbs ${d.maxAbs.toExponential(2)}${d.exact ? " (exact)" : ""}`;

function expectClose(name: string, d: KernelDiff) {
  console.log(`${name}: ${fmt(d)}`);
  expect(d.n, name).toBeGreaterThan(0);
  expect(d.relativeL2, name).toBeLessThanOrEqual(REL_L2);
  expect(d.maxAbs, name).toBeLessThanOrEqual(ABS * Math.max(1, d.maxRef));
}

type Checks = GptLab["checks"];

test.describe("GPT kernels: WGSL vs the CPU reference", () => {
  test.beforeEach(async ({ page }) => {
    await page.goto("/");
    await page.addScriptTag({ url: "/gpt-kernels-lab.js", type: "module" });
    await page.waitForFunction(() => "corexGpt" in globalThis);
  });

  const names: (keyof Checks)[] = ["linear", "embedding", "layerNorm", "attention", "gelu", "clip", "adamw"];
  for (const name of names) {
    test(name, async ({ page }) => {
      type Result = Record<string, KernelDiff | Record<string, KernelDiff>>;
      const r = await page.evaluate(async (n: string): Promise<Result> => {
        const checks = (globalThis as unknown as { corexGpt: GptLab }).corexGpt.checks as unknown as Record<string, () => Promise<Result>>;
        return checks[n]();
      }, name);
      for (const [k, v] of Object.entries(r)) {
        if ("relativeL2" in v) expectClose(`${name}.${k}`, v as KernelDiff);
        else for (const [k2, v2] of Object.entries(v)) expectClose(`${name}.${k}.${k2}`, v2);
      }
      // Products and sums in the reference's order are exact: a looser match would hide an order change.
      if (name === "linear" || name === "embedding") for (const v of Object.values(r)) expect((v as KernelDiff).exact).toBe(true);
    });
  }
});

/**
 * A whole GPT fragment (forward, backward, clip, AdamW for K steps) on WebGPU against runGptFragmentReference,
 * with the MLP path's tolerance (kernels.spec.ts): the delta's relative L2 below 1e-5 after one step and
 * 1e-4 after K, the step losses within 1e-5 relative; and cut into submissions of 1, 2, 3… steps (as a
 * worker's pacer cuts it), bit for bit the same as in one. Tiny configurations: SwiftShader is slow.
 */
test.describe("GPT fragment: WebGPU vs the CPU reference", () => {
  test.beforeEach(async ({ page }) => {
    await page.goto("/");
    await page.addScriptTag({ url: "/gpt-kernels-lab.js", type: "module" });
    await page.waitForFunction(() => "corexGpt" in globalThis);
  });

  const cases: (GptFragmentCase & { tolerance: number })[] = [
    { layers: 1, heads: 2, dim: 8, context: 4, vocab: 7, rows: 9, steps: 1, batch: 3, lr: 1e-2, seed: 21, tolerance: 1e-5 },
    { layers: 2, heads: 2, dim: 12, context: 5, vocab: 11, rows: 17, steps: 4, batch: 3, lr: 3e-3, seed: 22, tolerance: 1e-4 },
    { layers: 2, heads: 4, dim: 16, context: 8, vocab: 13, rows: 40, steps: 6, batch: 4, lr: 1e-3, seed: 23, tolerance: 1e-4 },
    // The names demo's shape (≈100k parameters; 28 characters): measured delta rel L2 ≈ 5e-5 at K = 3, 3e-5 at K = 8.
    { layers: 2, heads: 4, dim: 64, context: 16, vocab: 28, rows: 64, steps: 3, batch: 4, lr: 1e-3, seed: 24, tolerance: 1e-4 },
  ];
  for (const c of cases) {
    const name = `L${c.layers} H${c.heads} D${c.dim} T${c.context} V${c.vocab} K=${c.steps} B=${c.batch}`;
    test(name, async ({ page }) => {
      const r = await page.evaluate((c) => (globalThis as unknown as { corexGpt: GptLab }).corexGpt.fragment(c), c);
      console.log(`gpt ${name}: delta relL2 ${r.delta.relativeL2.toExponential(2)} maxAbs ${r.delta.maxAbs.toExponential(2)}${r.deltaExact ? " (exact)" : ""}; weights relL2 ${r.weights.relativeL2.toExponential(2)}`);
      console.log(`gpt ${name}: losses webgpu ${r.stepLosses.webgpu.join(" ")} / reference ${r.stepLosses.reference.join(" ")}`);
      expect(r.chunkedExact, "the fragment cut into paced submissions equals it in one").toBe(true);
      expect(r.delta.relativeL2).toBeLessThan(c.tolerance);
      expect(r.weights.relativeL2).toBeLessThan(1e-5);
      r.stepLosses.reference.forEach((l, i) => expect(Math.abs(r.stepLosses.webgpu[i] - l)).toBeLessThan(1e-5 * Math.max(1, l)));
    });
  }
});

test("a GPT fragment too large for the device's storage bindings fails up front with WebGpuFragmentError", async ({ page }) => {
  await page.goto("/");
  await page.addScriptTag({ url: "/gpt-kernels-lab.js", type: "module" });
  await page.waitForFunction(() => "corexGpt" in globalThis);
  const r = await page.evaluate(() => (globalThis as unknown as { corexGpt: GptLab }).corexGpt.oversized());
  expect(r?.name).toBe("WebGpuFragmentError");
  expect(r?.message).toMatch(/exceeds the device's \d+-byte storage binding limit/);
});
