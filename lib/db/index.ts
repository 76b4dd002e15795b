import "server-only";
import { z } from "zod";
import { parseEnv } from "@/lib/config";
import { database } from "@/lib/config";
import { createPrismaClient, pgPoolOf as poolOf, pingDatabase as ping, type DatabasePing, type PrismaClient } from "./prisma-client";

// The one way to a database client outside tests and scripts/db: the shared `prisma` below, or a
// client of one's own (createPrismaClient), its pg pool, or a dedicated connection.
export { createPrismaClient, type DatabasePing };
export { createDedicatedConnection } from "./prisma-client";
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

let shared: PrismaClient | undefined;
const sharedClient = () => (shared ??= getPrisma());

/**
 * The shared client, made on first use rather than on import: lib modules import this module for the
 * Prisma namespace, types and the factory too, and a test or script may set DATABASE_URL after
 * importing them (made at import, it would point at whatever DATABASE_URL said then).
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_, key) {
    const client = sharedClient();
    const value: unknown = Reflect.get(client, key, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
  has: (_, key) => Reflect.has(sharedClient(), key),
});

/** The pg pool under a client made by createPrismaClient, the shared one included (see client.ts). */
export function pgPoolOf(client: PrismaClient) {
  return poolOf(client === prisma ? sharedClient() : client);
}

/** For /api/health: round-trip time of `SELECT 1` on the shared client. */
export function pingDatabase(timeoutMs?: number): Promise<DatabasePing> {
  return ping(getPrisma(), timeoutMs);
}
export { parseDatabaseUrl, withDatabase } from "./url";
