import "server-only";
import { z } from "zod";
import { parseEnv } from "@/lib/config/define";
import { database } from "@/lib/config/shared";
import { createPrismaClient, pingDatabase as ping, type DatabasePing, type PrismaClient } from "./client";

export { createPrismaClient, type DatabasePing };
export type { PrismaClient };
export type * from "./generated/client";
export { Prisma } from "./generated/client";

// The app validates DATABASE_URL at start-up (lib/config/app.ts); this module may also be imported where
// it is unset (`next build`), so it falls back to the local Postgres like the scripts do.
const databaseEnvSchema = z.object({ DATABASE_URL: database.local });

// Cached on globalThis so Next's dev hot reload does not open a new pool on every edit. The adapter
// connects lazily: importing this module (e.g. during `next build`) opens no connection.
const globalForPrisma = globalThis as { __corexPrisma?: PrismaClient };

function getPrisma(): PrismaClient {
  globalForPrisma.__corexPrisma ??= createPrismaClient(parseEnv("database", databaseEnvSchema).DATABASE_URL);
  return globalForPrisma.__corexPrisma;
}

export const prisma: PrismaClient = getPrisma();

/** For /api/health: round-trip time of `SELECT 1` on the shared client. */
export function pingDatabase(timeoutMs?: number): Promise<DatabasePing> {
  return ping(getPrisma(), timeoutMs);
}
