import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_PATH, generateClientTypes } from "./types";

describe("the typed client's generated types", () => {
  it(`${GENERATED_PATH} is what \`npm run client:generate\` writes from the current OpenAPI document`, async () => {
    const fresh = await generateClientTypes();
    const committed = readFileSync(path.join(process.cwd(), GENERATED_PATH), "utf8");
    // toBe on 180 KB strings prints a useless diff: name the first differing line instead.
    if (committed !== fresh) {
      const a = committed.split("\n");
      const b = fresh.split("\n");
      const i = a.findIndex((line, k) => line !== b[k]);
      expect.fail(`${GENERATED_PATH} is stale (run \`npm run client:generate\`): line ${i + 1} is ${JSON.stringify(a[i])}, a fresh generation has ${JSON.stringify(b[i])}`);
    }
  }, 60_000);

  it("types the worker routes, the binary bodies as bytes and the error body with its codes", async () => {
    const text = await generateClientTypes();
    expect(text).toMatch(/"\/api\/fragments\/claim": \{/);
    expect(text).toMatch(/"application\/octet-stream": Uint8Array \| Blob;/);
    expect(text).toMatch(/Error: \{\s+error: \{\s+\/\*\* @enum \{string\} \*\/\s+code: [^;]*"csv_ragged_row"/);
  }, 60_000);
});
