/**
 * The run-every-N loop of the long-running scripts (`npm run coordinator`, `npm run epochs`): a pass,
 * then a pause, until SIGINT or SIGTERM. A signal never cuts a pass short (the current one finishes,
 * then the loop ends: no half-done chain or database step); it does cut the pause short. A pass that
 * throws is reported and the loop goes on: the next pass retries.
 */
export type LoopOptions = {
  /** Pause between the end of one pass and the start of the next. */
  intervalMs: number;
  /** One pass, then stop (`--once`). */
  once?: boolean;
  /** Told which signal ended the loop (after the current pass). */
  onStop?: (signal: NodeJS.Signals) => void;
  /** Told each pass that threw. */
  onError: (error: Error) => void;
  /** Signals that stop the loop (tests pass none and use `stop`). */
  signals?: readonly NodeJS.Signals[];
  /** Ends the loop like a signal does. */
  stop?: AbortSignal;
};

export async function runLoop(pass: () => Promise<void>, opts: LoopOptions): Promise<void> {
  const ac = new AbortController();
  const handlers = (opts.signals ?? ["SIGINT", "SIGTERM"]).map((sig) => {
    const handler = () => {
      if (ac.signal.aborted) return;
      opts.onStop?.(sig);
      ac.abort();
    };
    process.on(sig, handler);
    return () => process.off(sig, handler);
  });
  const external = () => ac.abort();
  opts.stop?.addEventListener("abort", external, { once: true });
  if (opts.stop?.aborted) ac.abort();
  try {
    while (!ac.signal.aborted) {
      try {
        await pass();
      } catch (e) {
        opts.onError(e instanceof Error ? e : new Error(String(e)));
      }
      if (opts.once) break;
      await pause(opts.intervalMs, ac.signal);
    }
  } finally {
    for (const off of handlers) off();
    opts.stop?.removeEventListener("abort", external);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
