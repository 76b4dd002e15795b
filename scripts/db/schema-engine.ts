// Prisma's schema engine, compiled to WebAssembly, driven through @prisma/adapter-pg. The native
// engine cannot be downloaded offline, so dev tooling (db:diff, the schema/migrations drift test)
// uses this build instead. Two traps handled here: the panic registry
// must exist or engine panics surface as "reading 'set_message'", and adapter-pg rejects the "char"
// type (OID 18) that the engine's catalog queries return, so it is parsed as text.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";

type Bg = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
type Engine = import("@prisma/schema-engine-wasm/schema_engine_bg").SchemaEngine;

const require = createRequire(import.meta.url);
let bgPromise: Promise<Bg> | null = null;

async function loadBg(): Promise<Bg> {
  const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Bg & {
    __wbg_set_wasm(w: unknown): void;
  };
  const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = path.join(path.dirname(bgPath), "schema_engine_bg.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
    "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return bg;
}

const CHAR_OID = 18;
const TEXT_OID = 25;

function charAsText(r: pg.QueryResult | undefined): void {
  for (const f of r?.fields ?? []) if (f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
}

/** A pg client that reports the internal "char" type as text, which adapter-pg can read. */
class CharAsTextClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const cb = args[last] as (err: Error | null, r?: pg.QueryResult) => void;
      args[last] = (err: Error | null, r?: pg.QueryResult) => {
        charAsText(r);
        cb(err, r);
      };
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const res = (super.query as any)(...args);
    if (res && typeof res.then === "function") {
      return res.then((r: pg.QueryResult) => {
        charAsText(r);
        return r;
      });
    }
    return res;
  }
}

export async function openSchemaEngine(databaseUrl: string, log?: (s: string) => void): Promise<{ engine: Engine; close(): Promise<void> }> {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void; last?: string } };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(m: string) {
      this.last = m;
      console.error(`prisma schema engine panic: ${m}`);
    },
  };
  bgPromise ??= loadBg();
  const bg = await bgPromise;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, Client: CharAsTextClient });
  const factory = new PrismaPg(pool);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await bg.SchemaEngine.new({ datamodels: undefined }, (l: string) => log?.(l), adapter);
  return {
    engine,
    async close() {
      engine.free();
      await pool.end();
    },
  };
}

export const noFilters = { externalTables: [] as string[], externalEnums: [] as string[] };
