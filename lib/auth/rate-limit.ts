import "server-only";
import { ApiError } from "@/lib/api";
import type { PrismaClient } from "@/lib/db";

export type RateRule = { name: string; limit: number; windowSeconds: number };

/** Per-IP and per-address budgets (fixed windows). Generous enough for people, tight for scripts. */
export const rateRules = {
  nonce: { name: "nonce", limit: 60, windowSeconds: 60 },
  verify: { name: "verify", limit: 30, windowSeconds: 60 },
  upload: { name: "upload", limit: 20, windowSeconds: 3_600 },
  jobs: { name: "jobs", limit: 20, windowSeconds: 3_600 },
} satisfies Record<string, RateRule>;

/**
 * Counts one hit for each key under `rule` and throws 429 (with Retry-After) when any key is over
 * its budget. The counters live in Postgres (one upsert per key), so every app instance shares them.
 */
export async function hitRateLimit(db: PrismaClient, rule: RateRule, keys: string[], now = new Date()): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  for (const key of keys) {
    const rows = await db.$queryRaw<{ count: number }[]>`
      INSERT INTO rate_limits (key, window_start, count) VALUES (${`${rule.name}:${key}`}, ${windowStart}, 1)
      ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
      RETURNING count`;
    if (rows[0]!.count > rule.limit) {
      const retry = Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000);
      throw new ApiError(429, "rate_limited", `too many ${rule.name} requests for ${key}: ${rule.limit} per ${rule.windowSeconds} s`, { retryAfterSeconds: retry }, { "retry-after": String(retry) });
    }
  }
  // Old windows are dead weight; dropping them here keeps the table small without a cron.
  if (Math.random() < 0.01) await db.rateLimit.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - 86_400_000) } } });
}
