import { z } from "zod";
import { parseEnv, type EnvSource } from "../config/define";
import { databasePool } from "../config/shared";

const poolEnvSchema = z.object(databasePool);

/**
 * Splits Prisma's `connection_limit` query parameter off a Postgres URL (pg would otherwise pass
 * unknown parameters on). Pool size: `connection_limit` in the URL, else DATABASE_POOL_MAX, else 10.
 * The embedded Postgres (PGlite) serves one backend, so its URL carries `connection_limit=1`.
 */
export function parseDatabaseUrl(url: string, env: EnvSource = process.env): { connectionString: string; max: number } {
  const u = new URL(url);
  const limit = u.searchParams.get("connection_limit");
  u.searchParams.delete("connection_limit");
  // DATABASE_POOL_MAX: the one definition every process's schema shares (lib/config/shared.ts).
  const max = limit ? Number(limit) : parseEnv("database", poolEnvSchema, env).DATABASE_POOL_MAX;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw new Error(`invalid pool size ${limit} (connection_limit must be a positive integer)`);
  }
  return { connectionString: u.toString(), max: max ?? 10 };
}

/** The same server with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
