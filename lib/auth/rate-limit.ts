import "server-only";
import { ApiError, Throttle } from "@/lib/api";
import type { PrismaClient } from "@/lib/db";
import { NONCE_TTL_MS } from "./siwe";

export type RateRule = { name: string; limit: number; windowSeconds: number };

/**
 * Per-client budgets (fixed windows; the client is its address per TRUSTED_PROXY_COUNT, lib/api
 * clientIp). Generous enough for people, tight for scripts. What one client can make the server store
 * is bounded by them: at most 60 nonces a minute (each kept 20 minutes: 10 valid, 10 expired), one
 * counter row per rule and window, and sign-in failures are counted per client — never per claimed
 * wallet, which would let anyone lock a wallet out and store a row per name it invents.
 */
export const rateRules = {
  nonce: { name: "nonce", limit: 60, windowSeconds: 60 },
  verify: { name: "verify", limit: 30, windowSeconds: 60 },
  verifyFailed: { name: "failed sign-in", limit: 10, windowSeconds: 600 },
  upload: { name: "upload", limit: 20, windowSeconds: 3_600 },
  jobs: { name: "jobs", limit: 20, windowSeconds: 3_600 },
} satisfies Record<string, RateRule>;

/**
 * In-memory budgets (per instance) for routes whose refusals must cost no database round trip:
 * `workerRefusals` counts a client's refused fragments-API and Compute-PoC requests (401, 403, 404 —
 * junk signatures, other nodes' slots) and then refuses all its requests there before any body,
 * signature or query; `publicList` caps anonymous listings (GET /api/jobs).
 */
export const throttles = {
  workerRefusals: new Throttle({ name: "refused worker requests", limit: 30, windowSeconds: 60 }),
  publicList: new Throttle({ name: "listing requests", limit: 120, windowSeconds: 60 }),
};

const windowOf = (rule: RateRule, now: Date) => {
  const ms = rule.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / ms) * ms;
  return { start: new Date(start), end: new Date(start + ms) };
};

const limited = (rule: RateRule, key: string, end: Date, now: Date) => {
  const retry = Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));
  return new ApiError(429, "rate_limited", `too many ${rule.name} requests for ${key}: ${rule.limit} per ${rule.windowSeconds} s`, { retryAfterSeconds: retry }, { "retry-after": String(retry) });
};

/**
 * Counts one hit for each key under `rule` and throws 429 (with Retry-After) when any key is over
 * its budget. The counters live in Postgres (one upsert per key), so every app instance shares them.
 */
export async function hitRateLimit(db: PrismaClient, rule: RateRule, keys: string[], now = new Date()): Promise<void> {
  const { start, end } = windowOf(rule, now);
  for (const key of keys) {
    const rows = await db.$queryRaw<{ count: number }[]>`
      INSERT INTO rate_limits (key, window_start, expires_at, count) VALUES (${`${rule.name}:${key}`}, ${start}, ${end}, 1)
      ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
      RETURNING count`;
    if (rows[0]!.count > rule.limit) throw limited(rule, key, end, now);
  }
  await sweepExpired(db, now);
}

/** 429 when any key has already used its budget under `rule`; counts nothing. */
export async function checkRateLimit(db: PrismaClient, rule: RateRule, keys: string[], now = new Date()): Promise<void> {
  const { start, end } = windowOf(rule, now);
  const rows = await db.rateLimit.findMany({ where: { key: { in: keys.map((k) => `${rule.name}:${k}`) }, windowStart: start, count: { gte: rule.limit } } });
  if (rows[0]) throw limited(rule, rows[0].key.slice(rule.name.length + 1), end, now);
}

/**
 * Runs `attempt`; a 401 it throws counts one hit of `rule` for each key and is rethrown as it was (the
 * caller's next `checkRateLimit` refuses once the budget is spent).
 */
export async function countFailures<T>(db: PrismaClient, rule: RateRule, keys: string[], attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      await hitRateLimit(db, rule, keys).catch((x: unknown) => {
        if (!(x instanceof ApiError && x.status === 429)) throw x;
      });
    }
    throw e;
  }
}

/** Sweeps run at most this often per process, on the back of a rate-limited request (no cron needed). */
export const SWEEP_INTERVAL_MS = 60_000;
let lastSweep = 0;

/**
 * Deletes what has expired: rate-limit windows that have ended, sessions past their expiry, and nonces
 * expired for more than NONCE_TTL_MS (until then a late sign-in is told its nonce expired; after, it
 * is refused as unknown). At most once per SWEEP_INTERVAL_MS per process unless `force`d.
 */
export async function sweepExpired(db: PrismaClient, now = new Date(), force = false): Promise<void> {
  if (!force && now.getTime() - lastSweep < SWEEP_INTERVAL_MS) return;
  lastSweep = now.getTime();
  await db.rateLimit.deleteMany({ where: { expiresAt: { lte: now } } });
  await db.authNonce.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - NONCE_TTL_MS) } } });
  await db.session.deleteMany({ where: { expiresAt: { lte: now } } });
}
