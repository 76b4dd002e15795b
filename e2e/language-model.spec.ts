import { expect, test, type BrowserContext } from "@playwright/test";
import { startCliWorker, type CliWorker } from "./support/cli-worker";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";
import { JobPage } from "./pages/job-page";
import { NewJobPage } from "./pages/new-job-page";
import { WorkerPage } from "./pages/worker-page";
import { must, typedApi } from "./support/api";

// Runs in its own Playwright project after `training` (playwright.config.ts): its workers would otherwise
// also train the seeded demo MNIST job that earlier specs read as active. Alone, on a fresh server:
// `npx playwright test --project language --no-deps` (its fee puts it ahead of the demo job there too).


// Two rounds (the fewest that show the loss fall): the CPU path is deterministic (the tab and the CLI
// compute the same bits, the job seed is the form's 42), so the figures are the same on every run.
const ROUNDS = 2;

test("a language model on the built-in names, created in the form, is trained by a /worker tab and a CLI worker; the job page shows the validation loss falling and samples", async ({ page, browser }, info) => {
  test.setTimeout(300_000);
  const baseURL = String(info.project.use.baseURL);

  // The initiator (the demo CPU node's owner) picks "Language model" on the built-in names and keeps the
  // form's model (2 layers × 4 heads, dim 64, context 16) and its K = 25 steps of 16 windows (a fragment
  // long enough for its progress to show); a short run: 2 rounds of 2 shards. Two workers of two owners: k = 2 replicas per fragment, so both compute every
  // fragment, and no spot checks (they would need a third owner). The fee (escrowed by createTask) puts it
  // ahead of any other job per work unit.
  await installInjectedWallet(page, { account: devAccounts[2] });
  const form = new NewJobPage(page);
  await form.goto();
  await form.shell.connect();
  await form.chooseTask("Language model");
  // Only the page object knows the form's layout (it is being reworked into dataset cards): roles and labels here.
  await expect(form.source("Names (built-in)")).toBeChecked();
  await expect(form.field("Width (dim)")).toHaveValue("64");
  await form.set("Rounds R", String(ROUNDS));
  await form.set("Shards S", "2");
  await form.set("Redundancy k", "2");
  await form.set("Spot-check rate", "0");
  await form.set("Fee (CXT)", "5000");
  await form.create();
  await expect(page).toHaveURL(JobPage.url, { timeout: 30_000 });
  const jobId = page.url().split("/").pop()!;
  const job = new JobPage(page);
  await expect(job.statusBadge).toHaveText("active", { timeout: 30_000 });
  await expect(page.getByText(/^Language model: 2 layers × 4 heads, dim 64, context 16, \d+ characters$/)).toBeVisible();

  // A node operator's CLI worker (anvil #3, demo node #3), started first (it takes a while to boot), and a
  // volunteer's tab (demo node #1's owner, its own browser context) on the CPU path, which computes bit
  // for bit what the CLI worker computes. k = 2 and one owner per replica: neither can train alone.
  const cli: CliWorker = startCliWorker({ accountIndex: 3, nodeId: "3" });
  let context: BrowserContext | undefined;
  try {
    context = await browser.newContext({ baseURL });
    const tab = await context.newPage();
    await installInjectedWallet(tab, { account: devAccounts[1] });
    const worker = new WorkerPage(tab);
    await worker.goto();
    await worker.shell.connect();
    await worker.startFor("1", { cpuOnly: true });

    // The tab shows a GPT fragment's progress step by step (not only once it is done), as for an MLP one.
    expect(await worker.partDoneFragment(120_000)).toMatch(/^Round [01], shard [01]: step \d+ of 25$/);
    await info.attach("worker-tab-mid-fragment", { body: await tab.screenshot({ fullPage: true }), contentType: "image/png" });

    // The job page follows live (it re-renders every 3 s while active) until the task completes on chain.
    await expect(job.rounds.locator("tbody tr[data-round]")).not.toHaveCount(0, { timeout: 120_000 });
    await expect(job.statusBadge).toHaveText("completed", { timeout: 180_000 });

    // Both did work on it: each submitted fragments (with k = 2 every fragment has a replica from each).
    expect((await worker.counters()).done, "the tab's fragments done").toBeGreaterThan(0);
    await info.attach("worker-tab", { body: await tab.screenshot({ fullPage: true }), contentType: "image/png" });
    expect(await cli.stop(), `the CLI worker exits cleanly on Ctrl-C:\n${cli.output()}`).toBe(0);
    expect(cli.output()).toMatch(/stopped: [1-9][0-9]* fragments submitted/);
  } finally {
    await cli.stop();
    await info.attach("cli-worker.log", { body: cli.output(), contentType: "text/plain" });
    await context?.close();
  }

  // The validation loss per round, in the table and the chart, falls; the samples of the last round.
  const validation = await job.roundColumn("Validation loss");
  expect(validation, "one row per round").toHaveLength(ROUNDS);
  expect(validation.every((l) => l > 0 && l < 5), `validation loss by round: ${validation.join(", ")}`).toBe(true);
  expect(validation.at(-1)!, `validation loss by round: ${validation.join(", ")}`).toBeLessThan(validation[0]!);
  await expect(job.lossChart).toBeVisible();
  await expect(job.samplesSource).toHaveText(new RegExp(`^Generated from round ${ROUNDS - 1}'s weights`));
  await expect(job.samples).toHaveCount(10);
  await info.attach("job-page", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  // Every aggregated round kept its 10 samples (the page shows the latest; the API lists each round's).
  const { rounds } = must("rounds", await typedApi(page.request).GET("/api/jobs/{id}/rounds", { params: { path: { id: jobId } } }));
  expect(rounds.map((r) => [r.status, r.samples?.length])).toEqual(Array.from({ length: ROUNDS }, () => ["aggregated", 10]));
});
