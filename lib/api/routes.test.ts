import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Every answer under /api is `{ error: { code, message } }` JSON, also for methods a route does not
// have (Next's own 405 is empty) and for paths no route has (Next's own 404 is its HTML page).
const apiDir = fileURLToPath(new URL("../../app/api", import.meta.url));
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir = apiDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(p) : e.name === "route.ts" ? [p] : [];
  });
}

type Module = Partial<Record<(typeof METHODS)[number], (request: Request, ctx: unknown) => Promise<Response>>>;

describe("API routes answer every method in the error shape", () => {
  const files = routeFiles().filter((f) => !f.includes("[...path]"));

  it("finds the routes", () => expect(files.length).toBeGreaterThanOrEqual(28));

  for (const file of files) {
    const rel = path.relative(apiDir, path.dirname(file));
    it(`/api/${rel}: a JSON 405 naming the allowed methods for each method it lacks`, async () => {
      const implemented = METHODS.filter((m) => new RegExp(`export (?:const|async function) ${m}\\b`).test(readFileSync(file, "utf8")));
      expect(implemented.length).toBeGreaterThan(0);
      const mod = (await import(file)) as Module;
      for (const m of METHODS) {
        expect(typeof mod[m], `${m} /api/${rel}`).toBe("function");
        if (implemented.includes(m)) continue;
        const res = await mod[m]!(new Request(`http://localhost/api/${rel}`, { method: m }), { params: Promise.resolve({}) });
        expect(res.status, `${m} /api/${rel}`).toBe(405);
        expect(res.headers.get("allow")).toBe(implemented.join(", "));
        expect(await res.json()).toMatchObject({ error: { code: "method_not_allowed", message: expect.stringContaining(m) } });
      }
    }, 60_000);
  }

  it("an unknown /api path is a JSON 404 for every method", async () => {
    const mod = (await import("@/app/api/[...path]/route")) as Module & { OPTIONS: Module["GET"] };
    for (const m of [...METHODS, "OPTIONS"] as const) {
      const res = await mod[m]!(new Request("http://localhost/api/no/such/thing", { method: m }), {});
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "not_found", message: expect.stringContaining("/api/no/such/thing") } });
    }
  });
});
