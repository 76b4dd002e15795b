import "server-only";
import { createPrismaClient, pingDatabase as ping, type DatabasePing, type PrismaClient } from "./client";

export { createPrismaClient, type DatabasePing };
export type { PrismaClient };
export type * from "./generated/client";
export { Prisma } from "./generated/client";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres";

// Cached on globalThis so Next's dev hot reload does not open a new pool on every edit. The adapter
// connects lazily: importing this module (e.g. during `next build`) opens no connection.
const globalForPrisma = globalThis as { __corexPrisma?: PrismaClient };

function getPrisma(): PrismaClient {
  globalForPrisma.__corexPrisma ??= createPrismaClient(process.env.DATABASE_URL ?? DEFAULT_URL);
  return globalForPrisma.__corexPrisma;
}

export const prisma: PrismaClient = getPrisma();

/** For /api/health: round-trip time of `SELECT 1` on the shared client. */
export function pingDatabase(timeoutMs?: number): Promise<DatabasePing> {
  return ping(getPrisma(), timeoutMs);
}
