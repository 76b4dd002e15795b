// A worker proves its capacity (Compute-PoC): it asks for a challenge, computes C = A·B on its backend
// and answers with its compute time; the coordinator checks C with Freivalds' algorithm.
import { pocMatrices, pocProductWasm, pocProductWebGpu, getGpu } from "@/lib/compute";
import { encodeProduct, rawBody } from "@/lib/protocol";
import type { ComputeBackend } from "./compute";
import type { HttpWorkerApi } from "./http-api";

/** `credited`: whether the pass earned the node's one compute-proof credential of the epoch. */
export type PocOutcome = { n: number; elapsedMs: number; opsPerSecond: number; wallOpsPerSecond: number; credited: boolean };

export async function proveCapacity(api: HttpWorkerApi, backend: ComputeBackend, nodeId: bigint, n = 256): Promise<PocOutcome> {
  const ch = api.ok("Compute-PoC challenge", await api.client.POST("/api/compute-poc/challenge", { body: { nodeId: nodeId.toString(), n } }));
  const { a, b } = pocMatrices(ch);
  const t0 = performance.now();
  const gpu = backend.device.backend === "webgpu" ? await getGpu() : null;
  const c = gpu ? await pocProductWebGpu(a, b, ch.n, gpu) : await pocProductWasm(a, b, ch.n);
  const elapsedMs = Math.max(1, Math.round(performance.now() - t0));
  return api.ok("Compute-PoC answer", await api.client.POST("/api/compute-poc/{id}/answer", {
    params: { path: { id: ch.id }, query: { elapsedMs } }, body: encodeProduct(c), bodySerializer: rawBody,
    headers: { "content-type": "application/octet-stream" },
  }));
}
