import type { Page } from "@playwright/test";
import type { ComputeLab } from "../compute/kernels-lab-entry";

export type Drift = { relativeL2: number; maxAbs: number };
export type FragmentCase = { layers: number[]; activation: "relu" | "tanh"; rows: number; steps: number; batch: number; lr: number; seed: number };
export type FragmentComparison = { webgpu: Drift; webgpuDelta: Drift; wasm: Drift; wasmExact: boolean; lossWebgpu: number; lossReference: number };

/** The compute lab page: lib/compute bundled on a static page, driven through page.evaluate. */
export class ComputeLabPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/");
    await this.page.addScriptTag({ url: "/kernels-lab.js", type: "module" });
    await this.page.waitForFunction(() => "corex" in globalThis);
  }

  adapter() {
    return this.page.evaluate(async () => {
      const g = await (globalThis as unknown as { corex: ComputeLab }).corex.getGpu();
      return g?.adapter ?? null;
    });
  }

  /** One fragment on the reference, WASM and WebGPU, from the same seeded weights and toy shard. */
  compareFragment(c: FragmentCase): Promise<FragmentComparison> {
    return this.page.evaluate(async (c) => {
      const cx = (globalThis as unknown as { corex: ComputeLab }).corex;
      const spec = { layers: c.layers, activation: c.activation };
      const input = {
        spec,
        weights: cx.initWeights(spec, c.seed),
        shard: cx.toyShard(c.rows, c.layers[0], c.layers[c.layers.length - 1], c.seed + 1),
        steps: c.steps,
        batch: c.batch,
        lr: c.lr,
        seed: c.seed,
      };
      const ref = cx.runFragmentReference(input);
      const gpu = await cx.runFragmentWebGpu(input);
      const wasm = await cx.runFragmentWasm(input);
      // Compare weights after the fragment (W_before + delta), the quantity the coordinator averages.
      const after = (d: Float32Array) => Float32Array.from(input.weights, (w, i) => w + d[i]);
      const wasmDrift = cx.compareWeights(after(wasm.delta), after(ref.delta));
      return {
        webgpu: cx.compareWeights(after(gpu.delta), after(ref.delta)),
        // The delta alone: a small error in the update hides in the weights but not here.
        webgpuDelta: cx.compareWeights(gpu.delta, ref.delta),
        wasm: wasmDrift,
        wasmExact: wasm.delta.every((v, i) => Object.is(v, ref.delta[i])),
        lossWebgpu: gpu.meanLoss,
        lossReference: ref.meanLoss,
      };
    }, c);
  }

  /** An MLP's logits (inference, the registry's Try it panel) on WebGPU and WASM vs the reference forward pass. */
  comparePredict(c: { layers: number[]; activation: "relu" | "tanh"; rows: number; seed: number }): Promise<{ webgpu: Drift; wasmExact: boolean }> {
    return this.page.evaluate(async (c) => {
      const cx = (globalThis as unknown as { corex: ComputeLab }).corex;
      const spec = { layers: c.layers, activation: c.activation };
      // Non-zero biases, so a bias read from the wrong offset shows.
      const weights = cx.initWeights(spec, c.seed).map((w, i) => w + (i % 5) * 0.01);
      const { features } = cx.toyShard(c.rows, c.layers[0], c.layers[c.layers.length - 1], c.seed + 1);
      const ref = cx.mlpLogits(spec, weights, features, c.rows);
      const gpu = await cx.MlpWebGpuPredictor.create(spec, weights);
      const logits = await gpu.logits(features, c.rows);
      gpu.destroy();
      const wasm = (await cx.MlpWasmPredictor.create(spec, weights)).logits(features, c.rows);
      return { webgpu: cx.compareWeights(logits, ref), wasmExact: wasm.every((v, i) => Object.is(v, ref[i])) };
    }, c);
  }

  /** Compute-PoC product on WebGPU vs the CPU, and the coordinator's Freivalds check of it. */
  poc(seed: number, n: number) {
    return this.page.evaluate(
      async ({ seed, n }) => {
        const cx = (globalThis as unknown as { corex: ComputeLab }).corex;
        const { a, b } = cx.pocMatrices({ seed, n });
        const gpu = await cx.pocProductWebGpu(a, b, n);
        const cpu = cx.pocProductCpu(a, b, n);
        const wasm = await cx.pocProductWasm(a, b, n);
        const tampered = gpu.slice();
        tampered[n * n - 1] += 1;
        return {
          gpuEqualsCpu: gpu.every((v, i) => v === cpu[i]),
          wasmEqualsCpu: wasm.every((v, i) => v === cpu[i]),
          verified: cx.verifyPocProduct({ seed, n }, gpu).ok,
          tamperedVerified: cx.verifyPocProduct({ seed, n }, tampered).ok,
        };
      },
      { seed, n },
    );
  }
}
