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

  it("declares x-corex-worker as a security scheme on every worker route, with its 401", () => {
    expect(doc.components.securitySchemes.workerAuth).toMatchObject({ type: "apiKey", in: "header", name: "x-corex-worker" });
    const paths = doc.paths as Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
    for (const p of ["/api/fragments/claim", "/api/fragments/{id}/heartbeat", "/api/fragments/{id}/abandon", "/api/compute-poc/challenge", "/api/compute-poc/{id}/answer"]) {
      expect(paths[p]!.post!.security, p).toEqual([{ workerAuth: [] }, { siweSession: [] }]);
      expect(paths[p]!.post!.responses, p).toHaveProperty("401");
    }
  });

  it("carries every EIP-712 type with field names and types, and the domain", () => {
    const e = doc["x-eip712"];
    expect(e.domain).toMatchObject({ name: "Corex Network", version: "1" });
    expect(e.domainTypes.EIP712Domain.map((f) => `${f.type} ${f.name}`)).toEqual(["string name", "string version", "uint256 chainId"]);
    expect(e.SessionKeyDelegation.types.SessionKeyDelegation.map((f) => `${f.type} ${f.name}`)).toEqual(["address sessionKey", "uint256 nodeId", "uint64 expiresAt"]);
    expect(e.WorkerAuth.types.WorkerAuth.map((f) => `${f.type} ${f.name}`)).toEqual(["uint256 nodeId", "uint64 expiresAt"]);
    expect(e.FragmentResult.types.FragmentResult.map((f) => f.type)).toEqual(["string", "uint32", "uint256", "bytes32", "uint32", "bytes32", "uint32"]);
  });

  it("documents GET /api/faults with its node, job, cursor and limit filters", () => {
    const op = (doc.paths as Record<string, Record<string, { parameters: { name: string; in: string }[] }>>)["/api/faults"]!.get!;
    expect(op.parameters.map((p) => `${p.in} ${p.name}`).sort()).toEqual(["query cursor", "query job", "query limit", "query node"]);
    expect(doc.components.schemas).toHaveProperty("FaultList");
  });
});
