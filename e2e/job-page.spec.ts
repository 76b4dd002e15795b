import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { HomePage } from "./pages/home-page";
import { JobPage } from "./pages/job-page";
import { AppShell } from "./pages/app-shell";
import { startCliWorker } from "./support/cli-worker";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";
import { must, typedApi } from "./support/api";

const CREATOR = devAccounts[1];

/** Signs in as the creator (connect + SIWE through the UI), creates a small Iris job over the API and returns its id. */
async function createIrisJob(page: Page, hyper: Record<string, number>): Promise<string> {
  const shell = new AppShell(page);
  await page.goto("/jobs");
  await shell.connect();
  await expect(shell.accountButton(CREATOR)).toBeVisible();
  const res = await typedApi(page.request).POST("/api/jobs", {
    body: { dataset: "iris", model: { hidden: [8], activation: "tanh" }, hyper: { localSteps: 10, batch: 8, learningRate: 0.1, seed: 7, ...hyper }, redundancy: 1, spotCheckRate: 0, fee: "0" },
  });
  expect(res.response.status, JSON.stringify(res.error)).toBe(201);
  return must("create job", res).id;
}

/** The creator sends createTask from the job page (the wallet stack loads because this tab connected). */
async function activate(page: Page, job: JobPage, id: string) {
  await job.goto(id);
  await expect(job.statusBadge).toHaveText("awaiting chain");
  await page.getByRole("button", { name: "Send createTask" }).click();
  await expect(job.statusBadge).toHaveText("active", { timeout: 30_000 });
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("an initiator's job trains on a CLI worker: live progress, rounds table and charts, a fragment re-verified in the browser, the model downloaded", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await installInjectedWallet(page, { account: CREATOR });
  const id = await createIrisJob(page, { rounds: 3, shards: 2 });
  const job = new JobPage(page);
  await activate(page, job, id);
  await expect(page.getByText("No rounds yet — start a worker on")).toBeVisible();

  // anvil account #2 owns the demo CPU node #2 (the dev seed registers it).
  const worker = startCliWorker({ accountIndex: 2, nodeId: "2", poc: 0 });
  try {
    // Live: the page refreshes itself while the job trains, round by round, to completion.
    await expect(job.rounds.locator("tbody tr[data-round]")).not.toHaveCount(0, { timeout: 120_000 });
    await shot(page, testInfo, "job-training");
    await expect(job.statusBadge).toHaveText("completed", { timeout: 150_000 });
  } finally {
    await worker.stop();
    await testInfo.attach("worker.log", { body: worker.output(), contentType: "text/plain" });
  }
  expect(await job.status()).toBe("completed");

  // The rounds table (the contract other journeys read): one row per round, losses as numbers.
  const losses = await job.roundLosses();
  expect(losses).toHaveLength(3);
  for (const l of losses) expect(Number.isFinite(l) && l > 0).toBe(true);
  expect(losses[2]!).toBeLessThan(losses[0]!);
  await expect(job.rounds.locator('tr[data-round="2"] td').nth(3)).toHaveText(/^\d{1,3}\.\d{2}%$/);
  await expect(page.getByRole("progressbar", { name: "Rounds aggregated" })).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("fragment-states").locator('[data-state="accepted"] dd')).toHaveText("6");

  // Charts: Recharts arrives lazily and draws a line per series.
  await expect(page.getByTestId("loss-chart").locator(".recharts-line")).toHaveCount(2);
  await expect(page.getByTestId("accuracy-chart").locator(".recharts-line")).toHaveCount(1);

  // Re-verify fragment 2:1 in this browser (a Web Worker recomputes it with the CPU reference).
  const reverify = page.getByTestId("reverify-2-1");
  await reverify.getByRole("button", { name: "Re-verify in my browser (fragment 2:1)" }).click();
  await expect(reverify.getByRole("status")).toContainText("verified", { timeout: 60_000 });
  await expect(reverify.getByRole("status")).not.toContainText("mismatch");
  await shot(page, testInfo, "job-completed-reverified");

  // The model: a safetensors file (8-byte header length, JSON header naming the layers) and its card.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download model (.safetensors)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`corex-${id}.safetensors`);
  const bytes = await readFile((await download.path())!);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8")) as Record<string, { shape: number[] }>;
  expect(header["layers.0.weight"]!.shape).toEqual([4, 8]);
  expect(header["layers.1.weight"]!.shape).toEqual([8, 3]);
  const card = await page.request.get(await page.getByRole("link", { name: "Model card (JSON)" }).getAttribute("href") ?? "");
  expect(((await card.json()) as { metrics: { rounds: number } }).metrics.rounds).toBe(3);

  // Both themes, phone width included: no serious axe violation, nothing wider than the screen.
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    expect(await axe(page), `axe in the ${theme} theme`).toEqual([]);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId("loss-chart").locator(".recharts-line")).toHaveCount(2);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await axe(page), "axe at 390 px").toEqual([]);
  await shot(page, testInfo, "job-phone");

  // Home: fragments accepted per minute over the last five minutes is live and counts this job's six.
  const home = new HomePage(page);
  await home.goto();
  expect(Number(await home.live("fragments").textContent())).toBeGreaterThanOrEqual(6 / 5);
});

test("the creator cancels an active job with a wallet transaction; the page follows it to cancelled", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await installInjectedWallet(page, { account: CREATOR });
  const id = await createIrisJob(page, { rounds: 1, shards: 1, seed: 8 });
  const job = new JobPage(page);
  await activate(page, job, id);
  await page.getByRole("button", { name: "Cancel job" }).click();
  await expect(new AppShell(page).toasts.getByText("Cancel the job")).toBeVisible();
  await expect(job.statusBadge).toHaveText("cancelled", { timeout: 30_000 });
  expect(await job.status()).toBe("cancelled");
  await expect(page.getByRole("button", { name: "Cancel job" })).toBeHidden();
  await shot(page, testInfo, "job-cancelled");
});

test("a visitor who is not the creator sees the job read-only, with no Cancel button", async ({ page }) => {
  const { jobs } = must("jobs", await typedApi(page.request).GET("/api/jobs", { params: { query: { status: "active" } } }));
  const job = new JobPage(page);
  await job.goto(jobs[0]!.id);
  await expect(job.statusBadge).toHaveText("active");
  // No wallet in play: one link instead of the creator's buttons (the wallet stack is not fetched).
  await expect(page.getByRole("button", { name: "Connect your wallet" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await expect(page.getByRole("button", { name: "Cancel job" })).toHaveCount(0);
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("the job page reads as a run page: name and status first, elapsed time, ETA and freshness; hashes folded into Verification", async ({ page }) => {
  const { jobs } = (await (await page.request.get("/api/jobs?status=active")).json()) as { jobs: { id: string; specHash: string; datasetName: string }[] };
  const demo = jobs[jobs.length - 1]!;
  const job = new JobPage(page);
  await job.goto(demo.id);
  await expect(job.heading).toHaveText(`${demo.datasetName} classifier`);
  await expect(job.statusBadge).toHaveText("active");
  await expect(job.elapsed).toHaveText(/^Running for (\d+ h \d+ min|\d+ min \d+ s|\d+ s)$/);
  await expect(job.eta).toHaveText(/^(time left: known after the first round|about .+ left|finishing)$/);
  // The freshness line counts up between the page's refreshes.
  await expect(job.updated).toHaveText(/^updated \d+ s ago$/);
  // The spec hash is no longer in the header: it waits, folded, in Verification with the commands.
  await expect(page.getByText(demo.specHash)).toBeHidden();
  await job.hashes.getByText("Hashes and commands").click();
  await expect(job.hashes.getByTestId("spec-hash")).toHaveText(demo.specHash);
  await expect(job.hashes).toContainText(`npm run verify-proof -- --api <this site> --job ${demo.id} --all`);
});
