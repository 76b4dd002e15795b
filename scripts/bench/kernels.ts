// `npm run bench:kernels`: one training step of an MLP and one of a GPT in headless Chromium on our WebGPU and
// WASM SIMD paths and, in the same page, TensorFlow.js 4.22 on its webgpu and wasm (SIMD) backends. Needs no
// chain and no database. CHROMIUM_PATH picks the browser; BENCH_CHROMIUM_ARGS adds flags (e.g. a real GPU's
// `--use-angle=vulkan --enable-features=Vulkan`); BENCH_KERNELS_MIN_SECONDS sets the time per measurement.
import { chromium, type Page } from "@playwright/test";
import type { BenchCase, BenchResult, GptBenchCase, GptBenchResult, Timing } from "./kernels-page";
import { startComputeServer } from "../compute/static-server";
import { chromiumArgs, chromiumPath } from "@/e2e/support/chromium";
import type { GptSpec } from "@/lib/compute";
import { benchKernelsEnvSchema } from "@/lib/config";
import { parseEnv } from "@/lib/config";
import { createTokenizer, loadBuiltinText, windowsOf } from "@/lib/datasets";
import { DEMO_NAMES_JOB } from "@/lib/jobs";

const benchEnv = parseEnv("bench:kernels", benchKernelsEnvSchema);
const minSeconds = benchEnv.BENCH_KERNELS_MIN_SECONDS;
// The first case gives the headline ratios; BENCH_KERNELS_CASES=1 runs only it.
const CASES: BenchCase[] = [
  { layers: [784, 128, 10], batch: 64, minSeconds },
  { layers: [784, 512, 256, 10], batch: 256, minSeconds },
].slice(0, benchEnv.BENCH_KERNELS_CASES);
const GPT_BATCH = 32;
/**
 * After one AdamW step from the same weights, tfjs and ours must agree this closely. Step 1 moves each weight
 * by ≈ lr·sign(g) (m̂/√v̂ = g/|g|), so only a gradient that differs in sign, or one near eps (1e-8), shows:
 * the check measured 5e-7 (wasm) and 2e-6 (webgpu) on SwiftShader, where one flipped sign alone gives ≈ 3e-4.
 * The second step's update, m̂/√v̂ over two gradients, also depends on their magnitudes: printed, not bounded.
 */
const SAME_STEP_BOUND = 1e-4;

type Bench = { runCase(c: BenchCase): Promise<BenchResult>; runGptCase(c: GptBenchCase): Promise<GptBenchResult>; adapter(): Promise<unknown> };
const bench = (page: Page) => ({
  run: (c: BenchCase) => page.evaluate((c) => (globalThis as unknown as { kernelsBench: Bench }).kernelsBench.runCase(c), c),
  runGpt: (c: GptBenchCase) => page.evaluate((c) => (globalThis as unknown as { kernelsBench: Bench }).kernelsBench.runGptCase(c), c),
  adapter: () => page.evaluate(() => (globalThis as unknown as { kernelsBench: Bench }).kernelsBench.adapter()),
});

const fmt = (t: Timing | null) => (t ? `${t.gflops.toFixed(3)} GFLOP/s (${t.msPerStep.toFixed(2)} ms/step, best of 3 × ${t.steps} steps)` : "n/a");
const ratio = (a: Timing | null, b: Timing | null) => (a && b ? (a.gflops / b.gflops).toFixed(2) : "n/a");

const wasmNote = (r: { tfjsWasmSimd: boolean; tfjsWasmThreads: number }) => `SIMD ${r.tfjsWasmSimd ? "on" : "off"}, ${r.tfjsWasmThreads} thread${r.tfjsWasmThreads === 1 ? "" : "s"}`;

function printTimings(r: { oursWebgpu: Timing | null; tfjsWebgpu: Timing | null; oursWasm: Timing; tfjsWasm: Timing }, wasmNote: string): void {
  console.log(`  ours webgpu   ${fmt(r.oursWebgpu)}`);
  console.log(`  tfjs webgpu   ${fmt(r.tfjsWebgpu)}  [baseline]`);
  console.log(`  ours wasm     ${fmt(r.oursWasm)}`);
  console.log(`  tfjs wasm     ${fmt(r.tfjsWasm)}  [baseline, ${wasmNote}]`);
}

async function runMlp(b: ReturnType<typeof bench>): Promise<void> {
  const results: BenchResult[] = [];
  for (const c of CASES) {
    const r = await b.run(c);
    results.push(r);
    console.log(`${r.name} (relu, SGD, ${(r.flopsPerStep / 1e6).toFixed(1)} MFLOP/step)`);
    printTimings(r, wasmNote(r));
    console.log(`  same step check: tfjs weights after one step differ from ours by relative L2 ${r.sameStep.toExponential(2)}`);
    console.log(`  ${r.name}: webgpu ours/tfjs ${ratio(r.oursWebgpu, r.tfjsWebgpu)}, cpu ours/tfjs ${ratio(r.oursWasm, r.tfjsWasm)}`);
  }
  // The headline figures: the first (784-128-10 at batch 64) case.
  console.log(`webgpu ratio ${ratio(results[0].oursWebgpu, results[0].tfjsWebgpu)}`);
  console.log(`cpu ratio ${ratio(results[0].oursWasm, results[0].tfjsWasm)}`);
}

/** The names demo's model (DEMO_NAMES_JOB, vocabulary of the names corpus) on its first B training windows. */
async function gptCase(): Promise<GptBenchCase> {
  const corpus = await loadBuiltinText("names");
  const { layers, heads, dim, context } = DEMO_NAMES_JOB.model;
  const spec: GptSpec = { kind: "gpt", layers, heads, dim, context, vocab: corpus.vocabulary.length, tied: true };
  const windows = windowsOf(createTokenizer(corpus.vocabulary).encode(corpus.train), context);
  const tokens = Array.from(windows.tokens.subarray(0, GPT_BATCH * windows.width));
  return { spec, batch: GPT_BATCH, tokens, lr: DEMO_NAMES_JOB.hyper.learningRate, minSeconds };
}

async function runGpt(b: ReturnType<typeof bench>): Promise<void> {
  const c = await gptCase();
  const { layers, heads, dim, context, vocab } = c.spec;
  const r = await b.runGpt(c);
  const name = `gpt ${layers}L ${heads}H D${dim} T${context} V${vocab} B=${c.batch}`;
  console.log(`${name} (${r.parameters.toLocaleString("en")} parameters, AdamW, ${(r.flopsPerStep / 1e6).toFixed(1)} MFLOP/step)`);
  printTimings(r, wasmNote(r));
  const [ow, tw, og, tg] = r.losses.map((x) => (x === null ? "n/a" : x.toFixed(6)));
  console.log(`  first step's loss: ours wasm ${ow}, tfjs wasm ${tw}, ours webgpu ${og}, tfjs webgpu ${tg}`);
  const e = (x: number | undefined) => (x === undefined ? "n/a" : x.toExponential(2));
  const [w, g] = [r.sameStepWasm, r.sameStepWebgpu ?? []];
  const worst = Math.max(w[0], g[0] ?? 0);
  const verdict = worst < SAME_STEP_BOUND ? `ok, < ${SAME_STEP_BOUND}` : `FAILED, ≥ ${SAME_STEP_BOUND}`;
  console.log(`  same step check: tfjs weights after one step differ from ours by relative L2: wasm ${e(w[0])}, webgpu ${e(g[0])} (${verdict})`);
  console.log(`  after two steps: wasm ${e(w[1])}, webgpu ${e(g[1])}`);
  if (worst >= SAME_STEP_BOUND) process.exitCode = 1;
  console.log(`gpt webgpu ratio ${ratio(r.oursWebgpu, r.tfjsWebgpu)}`);
  console.log(`gpt cpu ratio ${ratio(r.oursWasm, r.tfjsWasm)}`);
}

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
  const b = bench(page);
  console.log(`chromium ${browser.version()}, WebGPU adapter ${JSON.stringify(await b.adapter())}`);
  if (benchEnv.BENCH_KERNELS_ONLY !== "gpt") await runMlp(b);
  if (benchEnv.BENCH_KERNELS_ONLY !== "mlp") await runGpt(b);
} finally {
  await browser.close();
  await server.close();
}
