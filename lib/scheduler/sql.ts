import "server-only";
import { pgPoolOf, type Prisma, type PrismaClient } from "@/lib/db";

/**
 * Runs one raw statement on the client's pg pool when it has one (see pgPoolOf), else through
 * `$queryRaw`. Only for statements whose columns decode alike on both paths: text, uuid, int4, bool
 * and timestamptz (pg returns int8 and numeric as strings where Prisma returns bigint and Decimal).
 */
export async function rawRows<T>(db: PrismaClient, sql: Prisma.Sql): Promise<T[]> {
  const pool = pgPoolOf(db);
  if (!pool) return db.$queryRaw<T[]>(sql);
  const values = sql.values.map((v) => (typeof v === "bigint" ? v.toString() : v));
  return (await pool.query(sql.text, values)).rows as T[];
}
