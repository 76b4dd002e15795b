"use client";

import { useEffect, useRef, useState } from "react";
import type { FragmentVerdict } from "@/lib/protocol";
import type { ReverifyMessage } from "./reverify.worker";

const steps = ["proof", "inputs", "recompute", "compare"] as const;
const stepText: Record<(typeof steps)[number], string> = {
  proof: "Fetching the proof…",
  inputs: "Fetching W_r, the shard and the accepted delta…",
  recompute: "Recomputing with the CPU reference…",
  compare: "Comparing with the accepted delta…",
};

type State = { phase: "idle" } | { phase: "running"; step: (typeof steps)[number] } | { phase: "done"; verdict: FragmentVerdict } | { phase: "error"; message: string };

/**
 * Re-verifies fragment (round, shard) in this browser: a Web Worker fetches its content-addressed
 * inputs, recomputes it with the CPU reference and compares it with the accepted delta within the
 * proof's tolerance — the check `npm run verify-proof` runs, from the same module.
 */
export function ReverifyButton({ jobId, round, shard }: { jobId: string; round: number; shard: number }) {
  const [state, setState] = useState<State>({ phase: "idle" });
  const worker = useRef<Worker | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);

  function start() {
    worker.current?.terminate();
    const w = new Worker(new URL("./reverify.worker.ts", import.meta.url), { type: "module", name: "corex-reverify" });
    worker.current = w;
    setState({ phase: "running", step: "proof" });
    w.onmessage = (ev: MessageEvent<ReverifyMessage>) => {
      const m = ev.data;
      if (m.type === "stage") setState({ phase: "running", step: m.stage });
      else {
        setState(m.type === "done" ? { phase: "done", verdict: m.verdict } : { phase: "error", message: m.message });
        w.terminate();
        worker.current = null;
      }
    };
    w.onerror = (e) => {
      setState({ phase: "error", message: e.message || "the worker failed to start" });
      w.terminate();
    };
    w.postMessage({ origin: window.location.origin, jobId, round, shard });
  }

  const label = `Re-verify in my browser (fragment ${round}:${shard})`;
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid={`reverify-${round}-${shard}`}>
      <button type="button" aria-label={label} title={label} disabled={state.phase === "running"} onClick={start} className="rounded border border-line-strong px-2 py-0.5 text-xs hover:border-accent disabled:opacity-50">
        Re-verify in my browser
      </button>
      <span role="status" className="text-xs">
        {state.phase === "running" ? (
          <span className="text-muted">
            <progress className="mr-1 h-1.5 w-16 align-middle accent-[var(--c-accent)]" max={steps.length} value={steps.indexOf(state.step) + 1} aria-label="Re-verification progress" />
            {stepText[state.step]}
          </span>
        ) : state.phase === "done" ? (
          state.verdict.verified ? (
            <span className="font-medium text-ok" title={`relative L2 ${state.verdict.relativeL2.toExponential(2)} ≤ ${state.verdict.tolerance}`}>
              ✓ verified · relative L2 {state.verdict.relativeL2.toExponential(2)} ≤ {state.verdict.tolerance}
            </span>
          ) : (
            <span className="font-medium text-danger">✗ mismatch: {state.verdict.mismatches.join("; ")}</span>
          )
        ) : state.phase === "error" ? (
          <span className="text-danger">Could not re-verify: {state.message}</span>
        ) : null}
      </span>
    </div>
  );
}
