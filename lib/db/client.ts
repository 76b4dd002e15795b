// The Prisma client factory without the `server-only` marker, so plain Node scripts and tests can
// import it; app code imports `@/lib/db` instead.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { parseDatabaseUrl } from "./url";

export { PrismaClient };

export function createPrismaClient(url: string): PrismaClient {
  const { connectionString, max } = parseDatabaseUrl(url);
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
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
