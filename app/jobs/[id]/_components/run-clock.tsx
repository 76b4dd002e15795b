"use client";

import { useEffect, useState } from "react";
import { formatDuration, runTiming } from "./run-timing";

type Props = {
  status: string;
  /** When training began (the task went active), ISO; null before. */
  startedAt: string | null;
  finishedAt: string | null;
  done: number;
  totalRounds: number;
  /** When the server rendered these figures (ISO): "updated n s ago" counts from it. */
  renderedAt: string;
};

/**
 * A run's clock, as W&B shows one: how long it has run, about how long is left (from the pace of the
 * rounds so far), and how fresh the figures are. Ticks every second between the page's refreshes.
 */
export function RunClock(p: Props) {
  // Starts at the render time, so the server's HTML and the first client render agree.
  const [now, setNow] = useState(() => Date.parse(p.renderedAt));
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(id);
  }, [p.renderedAt]);
  const t = runTiming({ ...p, now });
  const age = Math.max(0, Math.round((now - Date.parse(p.renderedAt)) / 1000));
  return (
    <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-muted" data-testid="run-clock">
      {t.elapsedMs !== null ? (
        <span data-testid="run-elapsed">
          {t.running ? "Running for" : "Ran for"} {formatDuration(t.elapsedMs)}
        </span>
      ) : (
        <span>Not started: training begins once the job&apos;s task is on chain.</span>
      )}
      {t.running ? (
        <span data-testid="run-eta">
          {t.etaMs === null ? "time left: known after the first round" : t.etaMs === 0 ? "finishing" : `about ${formatDuration(t.etaMs)} left`}
        </span>
      ) : null}
      {p.status === "awaiting_chain" || p.status === "active" ? <span data-testid="run-updated">updated {age} s ago</span> : null}
    </p>
  );
}
