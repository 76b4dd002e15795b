// `npm run db:diff -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
// that takes the migrations' schema to prisma/schema.prisma. `--check` only reports drift (exit 2).
// It applies the migrations to a scratch database on DATABASE_URL's server (the "shadow database"),
// then asks Prisma's schema engine (WebAssembly build) for the diff to the datamodel.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { parseEnv } from "../../lib/config/define";
import { LOCAL_DATABASE_URL } from "../../lib/config/shared";
import { dbToolsEnvSchema } from "../../lib/config/tools";
import { parseDatabaseUrl, withDatabase } from "../../lib/db/url";
import { migrate, migrationsDir } from "./migrate";
import { noFilters, openSchemaEngine } from "./schema-engine";

const schemaPath = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));

/**
 * The engine's script, "" when there is nothing to do. A missing script is an error, never "no
 * drift": the drift check must not pass because the engine answered something unexpected.
 */
export function diffScript(res: { exitCode: number; stdout: string | null }): string {
  if (typeof res.stdout !== "string") throw new Error(`the schema engine returned no diff script (exit code ${res.exitCode})`);
  const sql = res.stdout.trim();
  return sql === "-- This is an empty migration." ? "" : sql;
}

/** SQL from (all migrations applied) to (schema.prisma); empty when they agree. */
export async function diffMigrationsToSchema(
  serverUrl: string,
  opts: { schemaFile?: string; migrationsDir?: string } = {},
): Promise<string> {
  const schemaFile = opts.schemaFile ?? schemaPath;
  const admin = new pg.Client({ connectionString: parseDatabaseUrl(serverUrl).connectionString });
  await admin.connect();
  const shadow = `corex_shadow_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE "${shadow}"`);
  try {
    const shadowUrl = withDatabase(serverUrl, shadow);
    await migrate(shadowUrl, () => {}, opts.migrationsDir ?? migrationsDir);
    const { engine, close } = await openSchemaEngine(parseDatabaseUrl(shadowUrl).connectionString);
    try {
      const content = readFileSync(schemaFile, "utf8");
      const res = await engine.diff({
        // "schemaDatasource" = the database the engine's adapter is connected to (the shadow one).
        from: { tag: "schemaDatasource", files: [{ path: schemaFile, content }], configDir: path.dirname(schemaFile) },
        to: { tag: "schemaDatamodel", files: [{ path: schemaFile, content }] },
        script: true,
        exitCode: null,
        filters: noFilters,
      });
      return diffScript(res);
    } finally {
      await close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${shadow}" WITH (FORCE)`);
    await admin.end();
  }
}

function timestamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const name = args.find((a) => !a.startsWith("--"));
  const url = parseEnv("db:diff", dbToolsEnvSchema).DATABASE_URL ?? LOCAL_DATABASE_URL;
  diffMigrationsToSchema(url)
    .then((sql) => {
      if (!sql) {
        console.log("schema.prisma and prisma/migrations agree");
        return;
      }
      if (check || !name) {
        console.log(sql);
        console.error(check ? "drift: schema.prisma differs from the migrations" : "pass a migration name to write it");
        process.exit(2);
      }
      const dir = path.join(migrationsDir, `${timestamp()}_${name.replace(/[^a-z0-9_]+/gi, "_")}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
      console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
    })
    .catch((e: Error) => {
      console.error(e.message);
      process.exit(1);
    });
}
