// `npm run docs:api [-- --check]`: writes docs/reference/api.md from the OpenAPI document (`--check` exits 1
// when the committed file is stale; scripts/docs/api.test.ts does the same in the unit tests).
import { register } from "node:module";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderApiDoc, type OpenApiDocument } from "./api-doc";

register("../lib/server-only-hook.mjs", import.meta.url);
const { openApiDocument } = await import("@/lib/openapi");

const file = path.join(process.cwd(), "docs", "reference", "api.md");
const text = renderApiDoc(openApiDocument() as unknown as OpenApiDocument);
if (process.argv.includes("--check")) {
  if ((await readFile(file, "utf8").catch(() => "")) !== text) {
    console.error("docs/reference/api.md is stale: run `npm run docs:api`");
    process.exit(1);
  }
} else {
  await writeFile(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
