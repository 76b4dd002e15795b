// The dedicated Web Worker that runs the volunteer loop (lib/worker) off the page's main thread:
// WebGPU when the worker gets an adapter, else WebAssembly; blobs cached in the Cache API.
import { privateKeyToAccount } from "viem/accounts";
import { cacheApiBlobCache, httpWorkerApi, memoryBlobCache, pickBackend, proveCapacity, WorkerRuntime } from "@/lib/worker/client";

export type WorkerCommand =
  | { type: "start"; api: string; key: `0x${string}`; nodeId: string; chainId: number; throttle: number; prefer: "auto" | "wasm" }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "throttle"; share: number }
  | { type: "stop" };

let runtime: WorkerRuntime | null = null;
const post = (m: unknown) => (self as unknown as Worker).postMessage(m);

self.onmessage = async (ev: MessageEvent<WorkerCommand>) => {
  const m = ev.data;
  if (m.type === "start" && !runtime) {
    const backend = await pickBackend(m.prefer);
    const api = httpWorkerApi({ api: m.api, account: privateKeyToAccount(m.key), nodeId: BigInt(m.nodeId), chainId: m.chainId });
    const cache = typeof caches !== "undefined" ? cacheApiBlobCache() : memoryBlobCache();
    let lastAuth = "";
    const rt = new WorkerRuntime({
      api, backend, cache, throttle: m.throttle,
      onUpdate: (snap) => post({ type: "snapshot", snap, auth: lastAuth }),
    });
    runtime = rt;
    post({ type: "snapshot", snap: rt.snapshot, auth: "" });
    lastAuth = await api.authHeader();
    // Prove capacity first (a small Compute-PoC): it is recorded on the node's page.
    await proveCapacity(api, backend, BigInt(m.nodeId), 128)
      .then((p) => post({ type: "poc", ok: true, opsPerSecond: p.opsPerSecond, n: p.n }))
      .catch((e: Error) => post({ type: "poc", ok: false, message: e.message }));
    rt.start().finally(() => {
      runtime = null;
      post({ type: "stopped", snap: rt.snapshot });
    });
  } else if (m.type === "pause") runtime?.pause();
  else if (m.type === "resume") runtime?.resume();
  else if (m.type === "throttle") runtime?.setThrottle(m.share);
  else if (m.type === "stop") await runtime?.stop();
};
