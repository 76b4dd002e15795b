import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// The dev chain's port is fixed per run so that specs (the injected wallet) and the server agree.
process.env.E2E_ANVIL_PORT ??= "18545";

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  // e2e/dev runs against `next dev` (playwright.dev.config.ts).
  testIgnore: "dev/**",
  // One app, one chain: the specs share them, so run them one at a time.
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-unsafe-webgpu",
      ],
    },
  },
  webServer: {
    command: "tsx scripts/e2e-server.ts",
    url: `${baseURL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGINT", timeout: 10_000 },
    env: { E2E_PORT: String(port), E2E_ANVIL_PORT: process.env.E2E_ANVIL_PORT },
  },
});
