import { mkdtempSync, rmSync, writeFileSync, mkdirSync, cpSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, pingDatabase } from "@/lib/db/prisma-client";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { diffMigrationsToSchema } from "./diff";
import { migrate, migrationsDir, readMigrations } from "./migrate";
import { noFilters, openSchemaEngine } from "./schema-engine";
import { startEmbeddedPostgres } from "./embedded";
import { testServerUrl } from "@/test/support/db";
import { parseDatabaseUrl, withDatabase } from "@/lib/db/url";

const schemaPath = path.resolve("prisma/schema.prisma");

/** A fresh, empty database on the test server (no migrations applied). */
async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: testServerUrl() });
  await admin.connect();
  const name = `corex_test_empty_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(testServerUrl(), name),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Applies prisma/migrations with Prisma's own schema engine (the code path of `prisma migrate deploy`). */
async function prismaApplyMigrations(url: string): Promise<string[]> {
  const { engine, close } = await openSchemaEngine(parseDatabaseUrl(url).connectionString);
  try {
    const local = readMigrations();
    const res = await engine.applyMigrations({
      migrationsList: {
        baseDir: migrationsDir,
        lockfile: { path: "migration_lock.toml", content: readFileSync(path.join(migrationsDir, "migration_lock.toml"), "utf8") },
        shadowDbInitScript: "",
        migrationDirectories: local.map((m) => ({ path: m.name, migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } } })),
      },
      filters: noFilters,
    });
    return res.appliedMigrationNames;
  } finally {
    await close();
  }
}

async function migrationRows(url: string): Promise<{ migration_name: string; checksum: string; finished: boolean; steps: number }[]> {
  const c = new pg.Client({ connectionString: parseDatabaseUrl(url).connectionString });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count AS steps FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY migration_name`,
    );
    return rows;
  } finally {
    await c.end();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe("migrations", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("schema.prisma and the migrations describe the same schema (Prisma schema engine diff)", async () => {
    expect(await diffMigrationsToSchema(testServerUrl())).toBe("");
  });

  it("detects drift: a schema.prisma change the migrations lack, and a migration schema.prisma lacks", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "corex-drift-"));
    try {
      // Positive control: without it, a check that always answers "" would pass the test above.
      const schema = readFileSync(schemaPath, "utf8");
      const drifted = schema.replace(/(model IndexerCheckpoint \{\n)/, `$1  driftProbe Int? @map("drift_probe")\n`);
      expect(drifted).not.toBe(schema);
      const schemaFile = path.join(dir, "schema.prisma");
      writeFileSync(schemaFile, drifted);
      const sql = await diffMigrationsToSchema(testServerUrl(), { schemaFile });
      expect(sql).toMatch(/ALTER TABLE "indexer_checkpoints" ADD COLUMN\s+"drift_probe" INTEGER/);

      const migrations = path.join(dir, "migrations");
      cpSync(migrationsDir, migrations, { recursive: true });
      mkdirSync(path.join(migrations, "99999999999999_extra"));
      writeFileSync(path.join(migrations, "99999999999999_extra", "migration.sql"), `CREATE TABLE "not_in_schema" ("id" INTEGER PRIMARY KEY);\n`);
      expect(await diffMigrationsToSchema(testServerUrl(), { migrationsDir: migrations })).toMatch(/DROP TABLE "not_in_schema"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("agrees with Prisma's own migration engine: same checksums recorded, each sees the other's run as up to date", async () => {
    const byPrisma = await emptyDatabase();
    const byUs = await emptyDatabase();
    try {
      // Prisma's schema engine (WebAssembly build of the engine behind `prisma migrate deploy`) applies them…
      expect(await prismaApplyMigrations(byPrisma.url)).toEqual(readMigrations().map((m) => m.name));
      const prismaRows = await migrationRows(byPrisma.url);
      // …and our applier finds nothing to do: every checksum Prisma recorded matches ours.
      const logs: string[] = [];
      await migrate(byPrisma.url, (s) => logs.push(s));
      expect(logs).toContain("database schema is up to date");
      // The other way round: Prisma applies nothing on top of our run, and the rows are the same.
      await migrate(byUs.url);
      expect(await prismaApplyMigrations(byUs.url)).toEqual([]);
      expect(await migrationRows(byUs.url)).toEqual(prismaRows);
      expect(prismaRows.every((r) => r.finished && r.steps === 1)).toBe(true);
    } finally {
      await byPrisma.drop();
      await byUs.drop();
    }
  });

  it("records every migration the way Prisma does and is idempotent", async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null }[]>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const local = readMigrations();
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(local.map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    const logs: string[] = [];
    await migrate(db.url, (s) => logs.push(s));
    expect(logs).toContain("database schema is up to date");
  });

  it("two concurrent migrators apply each migration exactly once", async () => {
    const admin = new pg.Client({ connectionString: testServerUrl() });
    await admin.connect();
    const name = `corex_test_conc_${Date.now()}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const url = withDatabase(testServerUrl(), name);
      await Promise.all([migrate(url), migrate(url), migrate(url)]);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const { rows } = await c.query(`SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1`);
      await c.end();
      expect(rows.length).toBe(readMigrations().length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });

  it("refuses a migration modified after it was applied", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "corex-mig-"));
    try {
      cpSync(migrationsDir, dir, { recursive: true });
      const first = readMigrations(dir)[0];
      writeFileSync(path.join(dir, first.name, "migration.sql"), first.sql + "\n-- edited\n");
      await expect(migrate(db.url, () => {}, dir)).rejects.toThrow(/modified after it was applied/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a failing migration leaves nothing behind", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "corex-mig-"));
    try {
      cpSync(migrationsDir, dir, { recursive: true });
      mkdirSync(path.join(dir, "99999999999999_broken"));
      writeFileSync(path.join(dir, "99999999999999_broken", "migration.sql"), `CREATE TABLE half_done (id int);\nSELECT no_such_function();\n`);
      await expect(migrate(db.url, () => {}, dir)).rejects.toThrow(/99999999999999_broken failed/);
      const t = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'half_done'`);
      expect(t[0].n).toBe(0);
      const r = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '99999999999999_broken'`,
      );
      expect(r[0].n).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the generated client reads and writes the models", async () => {
    await db.prisma.tokenBalance.create({ data: { chainId: 1, token: "0xt", account: "0xa", balance: "123456789012345678901234567890", updatedBlock: 5n } });
    const row = await db.prisma.tokenBalance.findUniqueOrThrow({ where: { chainId_token_account: { chainId: 1, token: "0xt", account: "0xa" } } });
    expect(row.balance.toFixed()).toBe("123456789012345678901234567890");
    expect(await pingDatabase(db.prisma)).toMatchObject({ ok: true });
  });
});

describe("embedded Postgres (PGlite)", () => {
  it("serves Prisma and migrations, keeps data across restarts, and refuses a busy port", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "corex-pglite-"));
    const port = await freePort();
    try {
      let pgl = await startEmbeddedPostgres({ dataDir, port });
      await expect(startEmbeddedPostgres({ dataDir: dataDir + "-2", port })).rejects.toThrow(/already in use/);
      await migrate(pgl.url);
      let client = createPrismaClient(pgl.url);
      await client.indexerCheckpoint.create({ data: { chainId: 7, blockNumber: 42n, blockHash: "0xabc" } });
      // concurrent queries through one pool must queue, not fail
      await Promise.all(Array.from({ length: 10 }, () => client.indexerCheckpoint.findMany()));
      await client.$disconnect();
      await pgl.stop();

      pgl = await startEmbeddedPostgres({ dataDir, port });
      await migrate(pgl.url); // up to date, no error
      client = createPrismaClient(pgl.url);
      const cp = await client.indexerCheckpoint.findUniqueOrThrow({ where: { chainId: 7 } });
      expect(cp.blockNumber).toBe(42n);
      await client.$disconnect();
      await pgl.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("keeps each connection's extended-protocol exchange whole: many processes' connections at once", async () => {
    // Every app process (app, indexer, epochs, workers' API) holds its own connection. PGlite runs one
    // backend, and a Parse from one connection landing between another's Parse and Bind replaced that
    // one's unnamed statement: "unnamed prepared statement does not exist" (seen under npm run dev).
    const dataDir = mkdtempSync(path.join(tmpdir(), "corex-pglite-"));
    const port = await freePort();
    const pgl = await startEmbeddedPostgres({ dataDir, port });
    const clients = Array.from({ length: 6 }, () => new pg.Client({ connectionString: parseDatabaseUrl(pgl.url).connectionString }));
    try {
      await Promise.all(clients.map((c) => c.connect()));
      // Connection 0 sends statements too big for one socket read (the indexer's batch inserts are), so
      // its Parse … Sync arrives in pieces while the others' small statements keep coming.
      const big = "x".repeat(300_000);
      const answers = await Promise.all(
        clients.map(async (c, i) => {
          const out: number[] = [];
          for (let k = 0; k < 40; k++) {
            // parameterised: Parse/Bind/Describe/Execute/Sync, a statement text per connection
            const { rows } = i === 0
              ? await c.query(`SELECT $1::int * ${i + 1} AS v, length($2::text) AS n`, [k, big])
              : await c.query(`SELECT $1::int * ${i + 1} AS v, pg_sleep(0) AS z`, [k]);
            if (i === 0) expect(rows[0].n).toBe(big.length);
            out.push(rows[0].v as number);
          }
          return out;
        }),
      );
      answers.forEach((out, i) => expect(out).toEqual(Array.from({ length: 40 }, (_, k) => k * (i + 1))));
      // a transaction on one connection still excludes the others until it ends
      await clients[0]!.query("BEGIN");
      await clients[0]!.query("CREATE TABLE t (v int)");
      const other = clients[1]!.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 't'");
      await clients[0]!.query("INSERT INTO t VALUES ($1)", [1]);
      await clients[0]!.query("COMMIT");
      expect((await other).rows[0].n).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
      await pgl.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
