import { ApiError } from "./errors";

export type ThrottleRule = { name: string; limit: number; windowSeconds: number };

/** Keys one limiter remembers at most; the oldest windows go first, so junk keys cannot grow memory. */
const MAX_KEYS = 50_000;

/**
 * A fixed-window counter per key held in this process's memory. For the hot, cheap-to-abuse routes
 * (the fragments API, public listings) whose refusals must cost no database round trip: the
 * Postgres-backed limits of lib/auth are shared by every instance but are a round trip themselves.
 * Budgets are per instance: N instances admit N× the limit.
 */
export class Throttle {
  private readonly windows: Map<string, { start: number; count: number }>;

  constructor(readonly rule: ThrottleRule) {
    // One map per rule name in the process: Next may load a module once per route bundle, and the
    // routes that share a rule must share its counts.
    const g = globalThis as Record<symbol, Map<string, { start: number; count: number }> | undefined>;
    this.windows = g[Symbol.for(`corex.throttle:${rule.name}`)] ??= new Map();
  }

  /** 429 (with Retry-After) when `key` has used its budget in the current window; counts nothing. */
  check(key: string, now = Date.now()): void {
    const w = this.current(key, now);
    if (w && w.count >= this.rule.limit) {
      const retry = Math.max(1, Math.ceil((w.start + this.rule.windowSeconds * 1000 - now) / 1000));
      const { name, limit, windowSeconds } = this.rule;
      throw new ApiError(429, "rate_limited", `too many ${name} from ${key}: ${limit} per ${windowSeconds} s`, { retryAfterSeconds: retry }, { "retry-after": String(retry) });
    }
  }

  /** Counts one for `key`. */
  hit(key: string, now = Date.now()): void {
    const w = this.current(key, now);
    if (w) {
      w.count++;
      return;
    }
    if (this.windows.size >= MAX_KEYS) this.evict(now);
    this.windows.set(key, { start: now - (now % (this.rule.windowSeconds * 1000)), count: 1 });
  }

  /** check, then hit: for budgets that count every request. */
  take(key: string, now = Date.now()): void {
    this.check(key, now);
    this.hit(key, now);
  }

  private current(key: string, now: number) {
    const w = this.windows.get(key);
    if (!w) return undefined;
    if (now - w.start < this.rule.windowSeconds * 1000) return w;
    this.windows.delete(key);
    return undefined;
  }

  private evict(now: number) {
    // Expired windows first; if every window is live, the oldest tenth (Map keeps insertion order).
    for (const [k, w] of this.windows) if (now - w.start >= this.rule.windowSeconds * 1000) this.windows.delete(k);
    let drop = this.windows.size >= MAX_KEYS ? MAX_KEYS / 10 : 0;
    for (const k of this.windows.keys()) {
      if (drop-- <= 0) break;
      this.windows.delete(k);
    }
  }
}
