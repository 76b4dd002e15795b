/**
 * Splits Prisma's `connection_limit` query parameter off a Postgres URL (pg would otherwise pass
 * unknown parameters on). Pool size: `connection_limit` in the URL, else DATABASE_POOL_MAX, else 10.
 * The embedded Postgres (PGlite) serves one backend, so its URL carries `connection_limit=1`.
 */
export function parseDatabaseUrl(url: string, env: Record<string, string | undefined> = process.env): { connectionString: string; max: number } {
  const u = new URL(url);
  const limit = u.searchParams.get("connection_limit");
  u.searchParams.delete("connection_limit");
  const fromEnv = env.DATABASE_POOL_MAX ? Number(env.DATABASE_POOL_MAX) : undefined;
  const max = limit ? Number(limit) : fromEnv;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw new Error(`invalid pool size ${limit ?? env.DATABASE_POOL_MAX} (connection_limit / DATABASE_POOL_MAX must be a positive integer)`);
  }
  return { connectionString: u.toString(), max: max ?? 10 };
}

/** The same server with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
