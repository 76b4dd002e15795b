// Applies prisma/migrations/*/migration.sql in order, offline (the native Prisma schema engine can't
// be downloaded here). It keeps Prisma's own bookkeeping so stock `prisma migrate deploy` agrees:
// rows in `_prisma_migrations` with checksum = sha256(migration.sql), finished_at, applied_steps_count.
// Each migration runs in its own transaction together with its row, so a crash leaves it either fully
// applied or not at all. A session advisory lock (Prisma's own key) serialises concurrent migrators.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { parseEnv } from "../../lib/config/define";
import { dbToolsEnvSchema } from "../../lib/config/tools";
import { parseDatabaseUrl } from "../../lib/db/url";

export const migrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
const PRISMA_ADVISORY_LOCK = 72707369;

export type LocalMigration = { name: string; sql: string; checksum: string };

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

export function readMigrations(dir = migrationsDir): LocalMigration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export async function migrate(databaseUrl: string, log: (s: string) => void = () => {}, dir = migrationsDir): Promise<void> {
  const local = readMigrations(dir);
  const client = new pg.Client({ connectionString: parseDatabaseUrl(databaseUrl).connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    try {
      await client.query(CREATE_TABLE);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
      );
      const applied = new Map<string, AppliedRow>();
      for (const row of rows) {
        if (row.rolled_back_at) continue;
        if (!row.finished_at) {
          throw new Error(
            `migration ${row.migration_name} is recorded as started but not finished (a failed \`prisma migrate\` run?); resolve it before migrating`,
          );
        }
        applied.set(row.migration_name, row);
      }
      const localNames = new Set(local.map((m) => m.name));
      for (const name of applied.keys()) {
        if (!localNames.has(name)) log(`warning: migration ${name} is applied in the database but missing from ${dir}`);
      }
      let count = 0;
      for (const m of local) {
        const done = applied.get(m.name);
        if (done) {
          if (done.checksum !== m.checksum) {
            throw new Error(
              `migration ${m.name} was modified after it was applied (checksum ${done.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… on disk); add a new migration instead`,
            );
          }
          continue;
        }
        const started = new Date();
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
             VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
            [randomUUID(), m.checksum, m.name, started],
          );
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK").catch(() => {});
          throw new Error(`migration ${m.name} failed: ${(e as Error).message}`, { cause: e });
        }
        count++;
        log(`applied migration ${m.name}`);
      }
      log(count ? `${count} migration(s) applied` : "database schema is up to date");
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  Promise.resolve()
    .then(() => {
      const url = parseEnv("db:migrate", dbToolsEnvSchema).DATABASE_URL;
      if (!url) throw new Error("DATABASE_URL is not set");
      return migrate(url, (s) => console.log(s));
    })
    .catch((e: Error) => {
      console.error(e.message);
      process.exit(1);
    });
}
