// The volunteer worker runtime's browser-safe surface, shared by the browser page (/worker) and the CLI.
// Isomorphic: no Node or server-only imports here; Node code imports @/lib/worker, which adds the CLI's
// folder cache (./fs-cache).
export { WorkerRuntime, WorkerApiError } from "./runtime";
export { httpWorkerApi } from "./http-api";
export type { HttpWorkerApi, HttpWorkerApiOptions } from "./http-api";
export type { Lease, SubmitReceipt, WorkerApi, WorkerError, WorkerOptions, WorkerSnapshot, WorkerState } from "./runtime";
export { AbortedError, pickBackend, runFragment, runGptInference, runInference, wasmBackend, webGpuBackend } from "./compute";
export type { ComputeBackend, DeviceInfo, Progress } from "./compute";
export { cacheApiBlobCache, cachedBlob, memoryBlobCache, sha256Hex, BlobIntegrityError } from "./blob-cache";
export type { BlobCache } from "./blob-cache";
export { proveCapacity } from "./poc-client";
export type { PocOutcome } from "./poc-client";
