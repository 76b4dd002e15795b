import { defineConfig } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./e2e/support/chromium";

// The compute kernels in headless Chromium (WebGPU on SwiftShader where there is no GPU) against the
// reference. Needs only a static page: no app server, chain or database.
const port = Number(process.env.COMPUTE_LAB_PORT ?? 3135);

export default defineConfig({
  testDir: "./e2e/compute",
  testMatch: "**/*.spec.ts",
  workers: 1,
  timeout: 120_000,
  reporter: "list",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: chromiumPath,
      args: [...chromiumArgs],
    },
  },
  webServer: {
    command: "tsx scripts/compute/serve.ts",
    url: `http://127.0.0.1:${port}/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: { COMPUTE_LAB_PORT: String(port) },
  },
});
