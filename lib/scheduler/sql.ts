import "server-only";
import { pgPoolOf, type Prisma, type PrismaClient } from "@/lib/db";

/**
 * Runs one raw statement on the client's pg pool when it has one (see pgPoolOf), else through
 * `$queryRaw`. Only for statements whose columns decode alike on both paths: text, uuid, int4, bool
 * and timestamptz (pg returns int8 and numeric as strings where Prisma returns bigint and Decimal).
 *
 * `name` makes it a named prepared statement on the pool's connections: each connection parses and
 * plans it once and then only binds and executes it (the hot path's statements are long CTEs whose
 * planning cost 0.6–0.9 ms a call on warm connections, and a result route call records ONE result).
 * A name must always carry the same text (pg refuses a second text under one name on a connection);
 * the statement's shape must stay good as a generic plan (Postgres switches to one after five
 * executions when it is not dearer than the custom ones), which the callers' comments check.
 */
export async function rawRows<T>(db: PrismaClient, sql: Prisma.Sql, name?: string): Promise<T[]> {
  const pool = pgPoolOf(db);
  if (!pool) return db.$queryRaw<T[]>(sql);
  const values = sql.values.map((v) => (typeof v === "bigint" ? v.toString() : v));
  return (await pool.query(name ? { name, text: sql.text, values } : { text: sql.text, values })).rows as T[];
}
