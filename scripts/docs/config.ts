// `npm run docs:config [-- --check]`: writes docs/reference/configuration.md from the process schemas in
// lib/config (`--check` exits 1 when the committed file is stale; lib/config/docs.test.ts does the same).
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { processConfigs } from "@/lib/config";
import { renderConfigurationDoc } from "@/lib/config";

export const configurationDocPath = path.join(process.cwd(), "docs", "reference", "configuration.md");

const text = renderConfigurationDoc(processConfigs);
if (process.argv.includes("--check")) {
  const committed = await readFile(configurationDocPath, "utf8").catch(() => "");
  if (committed !== text) {
    console.error("docs/reference/configuration.md is stale: run `npm run docs:config`");
    process.exit(1);
  }
} else {
  await writeFile(configurationDocPath, text);
  console.log(`wrote ${path.relative(process.cwd(), configurationDocPath)}`);
}
