import type { FragmentInput, FragmentResult } from "./fragment";
import { runFragmentReference } from "./reference";
import { runFragmentWasm } from "./wasm";
import { getGpu, runFragmentWebGpu, WebGpuUnavailableError } from "./webgpu";

export type Backend = "webgpu" | "wasm" | "reference";

/**
 * The entry point for workers: a fragment on the fastest backend available — WebGPU where the page or
 * worker has an adapter, else WebAssembly SIMD — or on the one asked for. Says which backend ran, so a
 * worker can show "CPU fallback" and the coordinator can record it.
 */
export async function runFragment(input: FragmentInput, backend: Backend | "auto" = "auto"): Promise<FragmentResult & { backend: Backend }> {
  if (backend === "reference") return { ...runFragmentReference(input), backend };
  if (backend === "wasm") return { ...(await runFragmentWasm(input)), backend };
  const gpu = await getGpu();
  if (gpu) return { ...(await runFragmentWebGpu(input, gpu)), backend: "webgpu" };
  if (backend === "webgpu") throw new WebGpuUnavailableError();
  return { ...(await runFragmentWasm(input)), backend: "wasm" };
}
