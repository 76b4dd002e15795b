import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";

// The CI flake policy on a real Playwright run (no browser needed): a test that passes only on its
// retry must turn the run red and be named in the output.
it("a test that passes only on a retry fails the CI run and is named in its output", () => {
  const out = mkdtempSync(path.join(os.tmpdir(), "corex-flaky-"));
  try {
    const run = spawnSync(path.resolve("node_modules/.bin/playwright"), ["test", "-c", "test/fixtures/flaky-e2e/playwright.config.ts"], {
      env: { ...process.env, CI: "1", FLAKY_OUTPUT_DIR: path.join(out, "results"), PLAYWRIGHT_HTML_OUTPUT_DIR: path.join(out, "report") },
      encoding: "utf8",
      timeout: 90_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).toMatch(/1 flaky/);
    expect(output).toMatch(/FLAKY flaky-e2e\/flaky\.spec\.ts:\d+ .*passes only on its retry — first attempt: .*first attempt fails on purpose/);
    expect(output).not.toMatch(/FLAKY .*always passes/);
    expect(run.status, output).toBe(1);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
