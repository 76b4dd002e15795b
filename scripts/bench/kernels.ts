// `npm run bench:kernels`: one training step of an MLP in headless Chromium on our WebGPU and WASM SIMD
// paths and, in the same page, TensorFlow.js 4.22 on its webgpu and wasm (SIMD) backends. Needs no chain
// and no database. CHROMIUM_PATH picks the browser; BENCH_CHROMIUM_ARGS adds flags (e.g. a real GPU's
// `--use-angle=vulkan --enable-features=Vulkan`); BENCH_KERNELS_MIN_SECONDS sets the time per measurement.
import { chromium } from "@playwright/test";
import type { BenchCase, BenchResult, Timing } from "./kernels-page";
import { startComputeServer } from "../compute/static-server";
import { chromiumArgs, chromiumPath } from "@/e2e/support/chromium";
import { benchKernelsEnvSchema } from "@/lib/config";
import { parseEnv } from "@/lib/config";

const benchEnv = parseEnv("bench:kernels", benchKernelsEnvSchema);
const minSeconds = benchEnv.BENCH_KERNELS_MIN_SECONDS;
// The first case gives the headline ratios; BENCH_KERNELS_CASES=1 runs only it.
const CASES: BenchCase[] = [
  { layers: [784, 128, 10], batch: 64, minSeconds },
  { layers: [784, 512, 256, 10], batch: 256, minSeconds },
].slice(0, benchEnv.BENCH_KERNELS_CASES);

// Cross-origin isolated, so tfjs-wasm may use threads (its fastest CPU build); BENCH_KERNELS_ISOLATED=0 turns it off.
const server = await startComputeServer(benchEnv.BENCH_KERNELS_PORT, ["kernels-bench"], {
  isolated: benchEnv.BENCH_KERNELS_ISOLATED,
});
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: benchEnv.BENCH_HEADLESS,
  args: [...chromiumArgs, ...benchEnv.BENCH_CHROMIUM_ARGS],
});
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${server.url}/`);
  await page.addScriptTag({ url: "/kernels-bench.js", type: "module" });
  await page.waitForFunction(() => "kernelsBench" in globalThis);
  type Bench = { runCase(c: BenchCase): Promise<BenchResult>; adapter(): Promise<unknown> };
  const adapter = await page.evaluate(() => (globalThis as unknown as { kernelsBench: Bench }).kernelsBench.adapter());
  console.log(`chromium ${browser.version()}, WebGPU adapter ${JSON.stringify(adapter)}`);
  const fmt = (t: Timing | null) => (t ? `${t.gflops.toFixed(3)} GFLOP/s (${t.msPerStep.toFixed(2)} ms/step, best of 3 × ${t.steps} steps)` : "n/a");
  const ratio = (a: Timing | null, b: Timing | null) => (a && b ? (a.gflops / b.gflops).toFixed(2) : "n/a");
  const results: BenchResult[] = [];
  for (const c of CASES) {
    const r = await page.evaluate((c) => (globalThis as unknown as { kernelsBench: Bench }).kernelsBench.runCase(c), c);
    results.push(r);
    console.log(`${r.name} (relu, SGD, ${(r.flopsPerStep / 1e6).toFixed(1)} MFLOP/step)`);
    console.log(`  ours webgpu   ${fmt(r.oursWebgpu)}`);
    console.log(`  tfjs webgpu   ${fmt(r.tfjsWebgpu)}  [baseline]`);
    console.log(`  ours wasm     ${fmt(r.oursWasm)}`);
    console.log(`  tfjs wasm     ${fmt(r.tfjsWasm)}  [baseline, SIMD ${r.tfjsWasmSimd ? "on" : "off"}, ${r.tfjsWasmThreads} thread${r.tfjsWasmThreads === 1 ? "" : "s"}]`);
    console.log(`  same step check: tfjs weights after one step differ from ours by relative L2 ${r.sameStep.toExponential(2)}`);
    console.log(`  ${r.name}: webgpu ours/tfjs ${ratio(r.oursWebgpu, r.tfjsWebgpu)}, cpu ours/tfjs ${ratio(r.oursWasm, r.tfjsWasm)}`);
  }
  // The headline figures: the first (784-128-10 at batch 64) case.
  console.log(`webgpu ratio ${ratio(results[0].oursWebgpu, results[0].tfjsWebgpu)}`);
  console.log(`cpu ratio ${ratio(results[0].oursWasm, results[0].tfjsWasm)}`);
} finally {
  await browser.close();
  await server.close();
}
