// `npm run client:generate [-- --check]`: writes lib/protocol/api.gen.ts, the typed client's paths and
// components, from the OpenAPI document (`--check` exits 1 when the checked-in file is stale).
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { GENERATED_PATH, generateClientTypes } from "./types";

const file = path.join(process.cwd(), GENERATED_PATH);
const text = await generateClientTypes();
if (process.argv.includes("--check")) {
  if ((await readFile(file, "utf8").catch(() => "")) !== text) {
    console.error(`${GENERATED_PATH} is stale: run \`npm run client:generate\``);
    process.exit(1);
  }
} else {
  await writeFile(file, text);
  console.log(`wrote ${GENERATED_PATH}`);
}
