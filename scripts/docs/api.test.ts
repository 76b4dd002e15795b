import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/openapi";
import { renderApiDoc, typeOf, type OpenApiDocument } from "./api-doc";

const doc = openApiDocument() as unknown as OpenApiDocument;

describe("docs/reference/api.md", () => {
  it("is what `npm run docs:api` generates from the OpenAPI document (run it after changing a route)", () => {
    const committed = readFileSync(path.join(process.cwd(), "docs", "reference", "api.md"), "utf8");
    expect(committed).toBe(renderApiDoc(doc));
  });

  it("has a section for every operation of the document", () => {
    const text = renderApiDoc(doc);
    for (const [p, methods] of Object.entries(doc.paths)) for (const m of Object.keys(methods)) expect(text).toContain(`### ${m.toUpperCase()} ${p}\n`);
  });
});

describe("typeOf", () => {
  it("writes schemas as short types", () => {
    expect(typeOf({ $ref: "#/components/schemas/JobRequestInput" })).toBe("JobRequest");
    expect(typeOf({ type: "integer", minimum: 1, maximum: 32 })).toBe("integer 1…32");
    expect(typeOf({ enum: ["relu", "tanh"] })).toBe('"relu" | "tanh"');
    expect(typeOf({ type: "array", items: { type: "string", format: "uuid" } })).toBe("string (uuid)[]");
    expect(typeOf({ anyOf: [{ type: "string" }, { type: "null" }] })).toBe("string | null");
  });
});
