import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./document";

const apiDir = fileURLToPath(new URL("../../app/api", import.meta.url));

/** Every (method, OpenAPI path) exported by a route.ts under app/api. */
function appRoutes(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const rel = path.relative(apiDir, path.dirname(p)).split(path.sep).map((s) => s.replace(/^\[(.+)\]$/, "{$1}"));
        const src = readFileSync(p, "utf8");
        for (const m of src.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)) out.push(`${m[1]!.toLowerCase()} /api/${rel.join("/")}`);
      }
    }
  };
  walk(apiDir);
  return out.sort();
}

describe("OpenAPI document", () => {
  const doc = openApiDocument("http://localhost:3000");

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const res = await validator.validate(structuredClone(doc) as never);
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("lists every route under app/api with its methods", () => {
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)).sort();
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => !routes.includes(r))).toEqual([]);
  });

  it("resolves every $ref to a component", () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(doc.components.schemas, r).toHaveProperty(r);
  });

  it("documents the zod rules the routes enforce (strict bodies, bounds, defaults)", () => {
    const create = doc.components.schemas.CreateJobInput as { additionalProperties: boolean; required: string[]; properties: Record<string, { default?: unknown }> };
    expect(create.additionalProperties).toBe(false);
    expect(create.required).toEqual(["dataset"]);
    expect(create.properties.redundancy!.default).toBe(2);
    const err = doc.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
    expect(err.properties.error.properties.code.enum).toContain("csv_ragged_row");
  });
});
