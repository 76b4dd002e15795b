import { defineConfig } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./e2e/support/chromium";
import { flakePolicy } from "./e2e/support/flake-policy";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// The dev chain's port is fixed per run so that specs (the injected wallet) and the server agree.
process.env.E2E_ANVIL_PORT ??= "18545";

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  // The compute kernels need no app server (playwright.compute.config.ts runs them); e2e/dev runs
  // against `next dev` (playwright.dev.config.ts).
  testIgnore: ["compute/**", "dev/**"],
  // "a claim after an epoch" moves the chain a day ahead and posts epoch 2: it runs after every spec
  // that reads the seeded state (one final epoch, the genesis supply). The training journeys train the
  // seeded demo job to completion (the other specs read it as active, and the claim journey counts node
  // #3's work): they run last, and the language-model journey (its workers would take demo fragments
  // too) after them. Alone (a fresh server): --project after-epoch|training|language|models|earnings --no-deps.
  projects: [
    { name: "app", testIgnore: ["compute/**", "dev/**", "claim-after-epoch.spec.ts", "training.spec.ts", "language-model.spec.ts", "models.spec.ts", "feedback.spec.ts", "account.spec.ts", "datasets.spec.ts"] },
    { name: "after-epoch", testMatch: "claim-after-epoch.spec.ts", dependencies: ["app"] },
    { name: "training", testMatch: "training.spec.ts", dependencies: ["after-epoch"] },
    { name: "language", testMatch: "language-model.spec.ts", dependencies: ["training"] },
    // Last: its CLI worker runs node #2, whose leases would starve the /worker tab's node #2 in worker.spec.
    { name: "models", testMatch: "models.spec.ts", dependencies: ["language"] },
    // Registers nodes of its own and re-prices a job: after every spec that counts the dev seed's three nodes.
    // The personal view's newcomer registers a node and moves CXT: last, for the same reason.
    { name: "feedback", testMatch: ["feedback.spec.ts", "account.spec.ts"], dependencies: ["models"] },
    // The data provider's journey trains a job with a CLI worker (it would take demo fragments) and moves the
    // chain a day ahead to close the epoch that pays the provider: last of all.
    { name: "earnings", testMatch: "datasets.spec.ts", dependencies: ["feedback"] },
  ],
  // One app, one chain: the specs share them, so run them one at a time.
  workers: 1,
  fullyParallel: false,
  ...flakePolicy(Boolean(process.env.CI), "./e2e/support/flaky-reporter.ts"),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: [...chromiumArgs],
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
