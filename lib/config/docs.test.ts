import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { processConfigs } from "./index";
import { renderConfigurationDoc } from "./docs";

describe("docs/reference/configuration.md", () => {
  it("is what `npm run docs:config` generates from the schemas (run it after changing lib/config)", () => {
    const committed = readFileSync(path.join(process.cwd(), "docs", "reference", "configuration.md"), "utf8");
    expect(committed).toBe(renderConfigurationDoc(processConfigs));
  });

  it("gives every variable a description", () => {
    for (const { name, schema } of processConfigs) {
      const lines = renderConfigurationDoc([{ name, schema }]).split("\n");
      for (const v of Object.keys(schema.shape)) expect(lines.find((l) => l.startsWith(`| \`${v}\``))?.endsWith("|  |"), `${name} ${v}`).toBe(false);
    }
  });

  it("has no secret under NEXT_PUBLIC_ (nothing the browser sees comes from the environment)", () => {
    for (const { schema } of processConfigs) for (const v of Object.keys(schema.shape)) expect(v.startsWith("NEXT_PUBLIC_")).toBe(false);
  });
});
