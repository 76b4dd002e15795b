import { expect, test } from "@playwright/test";
import { ComputeLabPage, type FragmentCase } from "../pages/compute-lab";

const fmt = (x: number) => x.toExponential(2);

test.describe("compute kernels in Chromium", () => {
  let lab: ComputeLabPage;
  test.beforeEach(async ({ page }) => {
    lab = new ComputeLabPage(page);
    await lab.goto();
  });

  test("WebGPU is available (SwiftShader without a GPU)", async () => {
    const adapter = await lab.adapter();
    console.log(`adapter: ${JSON.stringify(adapter)}`);
    expect(adapter).not.toBeNull();
  });

  // Sizes chosen not to be multiples of the 16×16 tile (and some smaller than it).
  const oneStep: FragmentCase[] = [
    { layers: [7, 5, 3], activation: "relu", rows: 23, steps: 1, batch: 9, lr: 0.1, seed: 1 },
    { layers: [33, 17, 19, 4], activation: "tanh", rows: 70, steps: 1, batch: 31, lr: 0.1, seed: 2 },
    { layers: [100, 40, 10], activation: "relu", rows: 300, steps: 1, batch: 50, lr: 0.1, seed: 3 },
    { layers: [2, 1, 2], activation: "tanh", rows: 3, steps: 1, batch: 5, lr: 0.1, seed: 4 },
  ];
  for (const c of oneStep) {
    test(`one step of ${c.layers.join("-")} ${c.activation} at B=${c.batch} matches the reference`, async () => {
      const r = await lab.compareFragment(c);
      console.log(`1 step ${c.layers.join("-")} ${c.activation} B=${c.batch}: webgpu delta relL2 ${fmt(r.webgpuDelta.relativeL2)} maxAbs ${fmt(r.webgpuDelta.maxAbs)}`);
      expect(r.wasmExact).toBe(true);
      expect(r.webgpuDelta.relativeL2).toBeLessThan(1e-5);
      expect(Math.abs(r.lossWebgpu - r.lossReference)).toBeLessThan(1e-5 * Math.max(1, r.lossReference));
    });
  }

  // The tolerance figures: how far WebGPU and WASM weights are from the reference after K steps.
  const kSteps: FragmentCase[] = [
    { layers: [784, 128, 10], activation: "relu", rows: 512, steps: 20, batch: 64, lr: 0.05, seed: 11 },
    { layers: [64, 48, 32, 10], activation: "tanh", rows: 400, steps: 50, batch: 32, lr: 0.1, seed: 12 },
  ];
  for (const c of kSteps) {
    test(`after K=${c.steps} steps of ${c.layers.join("-")} ${c.activation}: drift figures`, async () => {
      const r = await lab.compareFragment(c);
      const name = `${c.layers.join("-")} ${c.activation} K=${c.steps} B=${c.batch}`;
      console.log(`drift webgpu ${name}: relL2 ${fmt(r.webgpu.relativeL2)} maxAbs ${fmt(r.webgpu.maxAbs)}`);
      console.log(`drift webgpu ${name}: delta relL2 ${fmt(r.webgpuDelta.relativeL2)} maxAbs ${fmt(r.webgpuDelta.maxAbs)}`);
      console.log(`drift wasm ${name}: relL2 ${fmt(r.wasm.relativeL2)} maxAbs ${fmt(r.wasm.maxAbs)}`);
      expect(r.wasmExact).toBe(true);
      expect(r.webgpu.relativeL2).toBeLessThan(1e-5);
      expect(r.webgpu.maxAbs).toBeLessThan(1e-4);
      expect(r.webgpuDelta.relativeL2).toBeLessThan(1e-4);
    });
  }

  // Inference (the model registry's Try it panel): the forward pass alone, on shapes off the 32 × 32 tile.
  for (const c of [
    { layers: [7, 5, 3], activation: "relu" as const, rows: 1, seed: 21 },
    { layers: [784, 128, 10], activation: "relu" as const, rows: 37, seed: 22 },
    { layers: [33, 17, 19, 4], activation: "tanh" as const, rows: 70, seed: 23 },
  ]) {
    test(`inference: ${c.layers.join("-")} ${c.activation} logits of ${c.rows} rows on WebGPU and WASM match the reference`, async () => {
      const r = await lab.comparePredict(c);
      console.log(`inference webgpu ${c.layers.join("-")} ${c.activation} rows=${c.rows}: relL2 ${fmt(r.webgpu.relativeL2)} maxAbs ${fmt(r.webgpu.maxAbs)}`);
      expect(r.wasmExact).toBe(true);
      expect(r.webgpu.relativeL2).toBeLessThan(1e-5);
    });
  }

  test("Compute-PoC: the WebGPU u32 product is exact and passes Freivalds; a changed element fails", async () => {
    for (const n of [1, 37, 64]) {
      const r = await lab.poc(n + 100, n);
      expect(r).toEqual({ gpuEqualsCpu: true, wasmEqualsCpu: true, verified: true, tamperedVerified: false });
    }
  });
});
