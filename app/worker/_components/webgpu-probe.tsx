"use client";

import { useEffect, useState } from "react";

type Probe =
  | { state: "checking" }
  | { state: "unavailable"; reason: string }
  | { state: "available"; vendor: string; architecture: string; fallback: boolean; maxBuffer: number; maxInvocations: number };

type GpuLike = {
  requestAdapter(): Promise<null | {
    info?: { vendor?: string; architecture?: string; isFallbackAdapter?: boolean };
    isFallbackAdapter?: boolean;
    limits: { maxStorageBufferBindingSize: number; maxComputeInvocationsPerWorkgroup: number };
  }>;
};

/** Checks once what this tab could contribute: a WebGPU adapter, or the CPU fallback. */
export function WebGpuProbe() {
  const [probe, setProbe] = useState<Probe>({ state: "checking" });
  useEffect(() => {
    const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
    if (!gpu) {
      queueMicrotask(() => setProbe({ state: "unavailable", reason: "this browser exposes no WebGPU (navigator.gpu)" }));
      return;
    }
    gpu
      .requestAdapter()
      .then((a) =>
        setProbe(
          a
            ? {
                state: "available",
                vendor: a.info?.vendor || "unknown vendor",
                architecture: a.info?.architecture || "unknown architecture",
                fallback: Boolean(a.info?.isFallbackAdapter ?? a.isFallbackAdapter),
                maxBuffer: a.limits.maxStorageBufferBindingSize,
                maxInvocations: a.limits.maxComputeInvocationsPerWorkgroup,
              }
            : { state: "unavailable", reason: "no WebGPU adapter was granted" },
        ),
      )
      .catch((e: Error) => setProbe({ state: "unavailable", reason: e.message }));
  }, []);

  if (probe.state === "checking") return <p className="text-sm text-muted">Checking WebGPU…</p>;
  if (probe.state === "unavailable")
    return <p data-testid="webgpu-status" className="text-sm text-warn">WebGPU unavailable: {probe.reason}. This tab would compute on the CPU.</p>;
  return (
    <dl data-testid="webgpu-status" className="grid max-w-xl grid-cols-2 gap-2 text-sm">
      <dt className="text-muted">WebGPU adapter</dt>
      <dd>{probe.vendor} · {probe.architecture}{probe.fallback ? " (software fallback)" : ""}</dd>
      <dt className="text-muted">Largest storage buffer</dt>
      <dd>{(probe.maxBuffer / 2 ** 20).toFixed(0)} MiB</dd>
      <dt className="text-muted">Invocations per workgroup</dt>
      <dd>{probe.maxInvocations}</dd>
    </dl>
  );
}
