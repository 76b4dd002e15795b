import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * `npm run test:e2e:dev`: the app under `next dev` (what `npm run dev` serves), opened the way a new
 * user opens it — at http://127.0.0.1 and at the machine's network address, not only localhost.
 * A production-build run cannot see dev-only failures such as Next's cross-origin block of its dev
 * resources (the page renders but never hydrates).
 */
const port = Number(process.env.E2E_PORT ?? 3100);
process.env.E2E_ANVIL_PORT ??= "18545";

export default defineConfig({
  ...base,
  testDir: "./e2e/dev",
  testIgnore: undefined,
  projects: undefined,
  // next dev compiles each page on first request.
  timeout: 240_000,
  expect: { timeout: 60_000 },
  use: { ...base.use, baseURL: `http://127.0.0.1:${port}` },
  webServer: {
    ...(base.webServer as object),
    command: "tsx scripts/e2e-server.ts",
    url: `http://127.0.0.1:${port}/api/health`,
    env: { E2E_PORT: String(port), E2E_ANVIL_PORT: process.env.E2E_ANVIL_PORT, E2E_NEXT_DEV: "1" },
  },
});
