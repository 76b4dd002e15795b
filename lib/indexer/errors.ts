/** An error the indexer must not retry: it stops with this message rather than corrupt the mirror. */
export class FatalIndexerError extends Error {
  override name = "FatalIndexerError";
}

export class DeepReorgError extends FatalIndexerError {
  override name = "DeepReorgError";
  constructor(
    readonly chainId: number,
    readonly checkpoint: number,
    readonly finalityDepth: number,
    detail: string,
  ) {
    super(
      `chain ${chainId}: reorg deeper than the finality depth (${finalityDepth} blocks) below checkpoint ${checkpoint}: ${detail}. ` +
        `The mirror was left as it was; rebuild it with \`npm run indexer -- --rebuild\` once the chain is settled.`,
    );
  }
}

export class DecodeError extends FatalIndexerError {
  override name = "DecodeError";
}

/** Thrown inside a batch when the chain changed under us (parent hash mismatch): re-check for a reorg. */
export class ChainChangedError extends Error {
  override name = "ChainChangedError";
}

const RETRYABLE_PATTERNS = [
  /timed? ?out/i,
  /timeout/i,
  /fetch failed/i,
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|socket hang up/i,
  /HTTP request failed/i,
  /status(?: code)?:? (?:429|5\d\d)/i,
  /rate limit/i,
  /header not found|unknown block/i,
  /connection (?:terminated|closed|refused)|Connection terminated/i,
  // node-postgres, on a pooled client whose connection already broke (the pool then discards it).
  /connection error and is not queryable/i,
  /could not serialize access|deadlock detected/i,
  /terminating connection|server closed the connection|database system is (?:starting up|shutting down|in recovery mode)/i,
];

/**
 * Postgres SQLSTATEs of transient failures: connection exceptions (class 08), the server terminating
 * or refusing connections (57P01 admin shutdown — e.g. pg_terminate_backend or a failover —, 57P02
 * crash shutdown, 57P03 cannot connect now), too many connections, serialization failures, deadlocks.
 */
const RETRYABLE_SQLSTATE = /^(08...|57P0[123]|53300|40001|40P01)$/;

/** SQLSTATEs found on the error or its causes (pg errors carry `code`; Prisma's driver-adapter errors nest it). */
function sqlStates(e: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number) => {
    if (!x || typeof x !== "object" || seen.has(x) || depth > 6) return;
    seen.add(x);
    const o = x as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    for (const c of [o.code, o.originalCode]) if (typeof c === "string" && /^[0-9A-Z]{5}$/.test(c)) out.push(c);
    visit(o.cause, depth + 1);
    visit(o.meta?.driverAdapterError, depth + 1);
  };
  visit(e, 0);
  return out;
}

/** Transient failures (network, rate limits, lost DB connection) are retried with backoff. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof FatalIndexerError) return false;
  if (e instanceof ChainChangedError) return true;
  if (sqlStates(e).some((c) => RETRYABLE_SQLSTATE.test(c))) return true;
  const text = errorText(e);
  return RETRYABLE_PATTERNS.some((p) => p.test(text));
}

export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const parts = [e.message];
  let cause = (e as { cause?: unknown }).cause;
  for (let i = 0; cause && i < 4; i++) {
    parts.push(cause instanceof Error ? cause.message : String(cause));
    cause = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
  }
  const details = (e as { details?: string; shortMessage?: string }).details;
  if (details) parts.push(details);
  return parts.join(" | ");
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, baseMs = 200, maxMs = 10_000): number {
  const cap = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(cap / 2 + (Math.random() * cap) / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Runs `fn`, retrying retryable errors with backoff up to `retries` times. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  opts: { retries?: number; signal?: AbortSignal; onRetry?: (e: unknown, attempt: number) => void; baseMs?: number } = {},
): Promise<T> {
  const retries = opts.retries ?? 6;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= retries || !isRetryable(e) || opts.signal?.aborted) throw e;
      opts.onRetry?.(e, attempt);
      await sleep(backoffMs(attempt, opts.baseMs), opts.signal);
    }
  }
}
