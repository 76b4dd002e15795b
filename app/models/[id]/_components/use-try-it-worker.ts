"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { ModelConfig } from "@/lib/models/client";
import type { TryItQuestion, TryItRequest, TryItResponse } from "./try-it.worker";
export type WorkerState = { phase: "idle" } | { phase: "loading" } | { phase: "ready"; backend: string } | { phase: "error"; message: string };

/**
 * The model's worker: started on `load()`, asked with `ask()` (one promise per request), terminated with
 * the panel. A failed load (network, hash, a file that no longer matches its config) is the panel's state.
 */
export function useTryItWorker(modelId: string, sha256: string, config: ModelConfig) {
  const worker = useRef<Worker | null>(null);
  const pending = useRef(new Map<number, (r: TryItResponse) => void>());
  const next = useRef(0);
  const [state, setState] = useState<WorkerState>({ phase: "idle" });
  // Unmounting (and React's strict-mode remount in development) ends the worker; a later load starts afresh.
  useEffect(
    () => () => {
      worker.current?.terminate();
      worker.current = null;
      pending.current.clear();
    },
    [],
  );

  const send = useCallback((m: TryItRequest) => {
    const w = worker.current;
    if (!w) return Promise.reject(new Error("the model is not loaded"));
    return new Promise<TryItResponse>((resolve) => {
      pending.current.set(m.id, resolve);
      w.postMessage(m);
    });
  }, []);

  const load = useCallback(async () => {
    if (worker.current) return;
    const w = new Worker(new URL("./try-it.worker.ts", import.meta.url), { type: "module", name: "corex-try-it" });
    worker.current = w;
    w.onmessage = (ev: MessageEvent<TryItResponse>) => {
      pending.current.get(ev.data.id)?.(ev.data);
      pending.current.delete(ev.data.id);
    };
    w.onerror = (e) => setState({ phase: "error", message: e.message || "the worker failed to start" });
    setState({ phase: "loading" });
    const r = await send({ type: "load", id: next.current++, url: `${window.location.origin}/api/models/${modelId}/weights`, sha256, config });
    setState(r.type === "loaded" ? { phase: "ready", backend: r.backend } : { phase: "error", message: r.type === "error" ? r.message : "unexpected answer" });
  }, [config, modelId, send, sha256]);

  const ask = useCallback((q: TryItQuestion) => send({ ...q, id: next.current++ }), [send]);
  return { state, load, ask };
}
