/** "2 h 5 min", "3 min 12 s", "42 s": a run's elapsed time or what is left of it. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

/**
 * Elapsed time and an estimate of the time left: the rounds still to aggregate at the average pace of
 * those done so far (rounds are the same size, so the pace is steady once workers are on it). No
 * estimate before the first round, and none once the run has stopped.
 */
export function runTiming(p: { status: string; startedAt: string | null; finishedAt: string | null; done: number; totalRounds: number; now: number }) {
  const running = p.status === "active";
  if (!p.startedAt) return { running, elapsedMs: null, etaMs: null };
  const start = Date.parse(p.startedAt);
  const end = !running && p.finishedAt ? Date.parse(p.finishedAt) : p.now;
  const elapsedMs = Math.max(0, end - start);
  if (!running || p.done === 0) return { running, elapsedMs, etaMs: null };
  const left = Math.max(0, p.totalRounds - p.done);
  return { running, elapsedMs, etaMs: Math.round((elapsedMs / p.done) * left) };
}
