import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";

it("the committed WASM module is the build of the AssemblyScript kernels", () => {
  const out = execFileSync("npx", ["tsx", "scripts/compute/build-wasm.ts", "--check"], { encoding: "utf8" });
  expect(out).toMatch(/up to date/);
}, 60_000);
