// The Prisma client factory without the `server-only` marker, so tests and scripts/db (which create and
// drop databases themselves) can import it directly. Everything else (app, lib, scripts) reaches a
// database only through `@/lib/db`, which re-exports these.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { parseDatabaseUrl } from "./url";

export { PrismaClient };

const pools = new WeakMap<PrismaClient, pg.Pool>();

export function createPrismaClient(url: string): PrismaClient {
  const { connectionString, max } = parseDatabaseUrl(url);
  const pool = new pg.Pool({ connectionString, max });
  // An idle connection's error (server restart, dropped database) would otherwise be thrown as an
  // uncaught 'error' event; the next query on the pool reports it.
  pool.on("error", () => {});
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
}

/**
 * The pg pool under a client made by createPrismaClient (the same connections Prisma uses), for hot
 * paths that run one raw statement over hundreds of rows: through `$queryRaw` Prisma's per-value
 * decoding cost about as much CPU as the statement itself. Undefined for other clients.
 */
export function pgPoolOf(client: PrismaClient): pg.Pool | undefined {
  return pools.get(client);
}

/**
 * One connection outside any pool, for session state that must live exactly as long as one connection
 * (the indexer's advisory lock): Postgres drops it when this connection ends. The caller connects it.
 */
export function createDedicatedConnection(url: string, applicationName: string): pg.Client {
  return new pg.Client({ connectionString: parseDatabaseUrl(url).connectionString, application_name: applicationName });
}

export type DatabasePing = { ok: boolean; latencyMs: number; error?: string };

export async function pingDatabase(client: PrismaClient, timeoutMs = 2_000): Promise<DatabasePing> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - start) };
  } catch (e) {
    return { ok: false, latencyMs: Math.round(performance.now() - start), error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
