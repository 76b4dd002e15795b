import pg from "pg";
import { createPrismaClient, type PrismaClient } from "@/lib/db/prisma-client";
import { parseDatabaseUrl, withDatabase } from "@/lib/db/url";
import { migrate } from "@/scripts/db/migrate";
import { parseEnv } from "@/lib/config/define";
import { testDatabaseEnvSchema } from "@/lib/config/testing";

export type TestDatabase = { url: string; prisma: PrismaClient; drop(): Promise<void> };

export const testServerUrl = (): string => parseEnv("test", testDatabaseEnvSchema).TEST_DATABASE_URL;

/** A fresh database (migrations applied) on TEST_DATABASE_URL's server; `drop()` removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testServerUrl();
  const name = `corex_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: parseDatabaseUrl(server).connectionString });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(server, name);
  await migrate(url);
  const prisma = createPrismaClient(url);
  return {
    url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      const c = new pg.Client({ connectionString: parseDatabaseUrl(server).connectionString });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
