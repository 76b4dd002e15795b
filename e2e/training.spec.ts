import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { startCliWorker, type CliWorker } from "./support/cli-worker";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";
import { JobPage } from "./pages/job-page";
import { NewJobPage } from "./pages/new-job-page";
import { WorkerPage } from "./pages/worker-page";
import type { Proof } from "@/lib/protocol";
import { must, typedApi } from "./support/api";

// This spec finishes the seeded demo job that the other specs read as "active", so it runs in its own
// Playwright project after all of them (playwright.config.ts: `training` depends on `app`).


/** A volunteer's own browser (its own wallet, storage and session) with /worker open and started for `nodeId`. */
async function volunteerTab(browser: Browser, baseURL: string, account: string, nodeId: string): Promise<{ context: BrowserContext; worker: WorkerPage }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await installInjectedWallet(page, { account });
  const worker = new WorkerPage(page);
  await worker.goto();
  await worker.shell.connect();
  await worker.startFor(nodeId);
  return { context, worker };
}

test("the seeded demo job is trained to completion by two browser tabs and a CLI worker, and its page shows the loss falling", async ({ browser, request }, info) => {
  test.setTimeout(600_000);
  const baseURL = String(info.project.use.baseURL);
  const api = typedApi(request);
  const { jobs } = must("jobs", await api.GET("/api/jobs"));
  const demo = jobs.find((j) => j.datasetName === "mnist" && j.taskId === "1");
  expect(demo, "the demo MNIST job seeded by npm run dev").toBeDefined();
  expect(demo!.status).toBe("active");

  // Three owners, so that the k = 2 replicas of a fragment and its spot checks always find distinct
  // owners: devAccounts[1] and [2] own the demo GPU (#1) and CPU (#2) nodes, anvil account #3 the
  // browser node (#3) that the CLI worker runs for.
  const tabs = [
    await volunteerTab(browser, baseURL, devAccounts[1], "1"),
    await volunteerTab(browser, baseURL, devAccounts[2], "2"),
  ];
  let cli: CliWorker | null = null;
  try {
    // Both tabs have computed and submitted before the much faster CLI worker joins, so each of the
    // three does part of the job whatever the machine's speed.
    for (const { worker } of tabs) await expect(worker.done).not.toHaveText(/^0 \//, { timeout: 180_000 });
    cli = startCliWorker({ accountIndex: 3, nodeId: "3" });

    await expect
      .poll(async () => must("job", await api.GET("/api/jobs/{id}", { params: { path: { id: demo!.id } } })).status, {
        message: "the demo job completes on chain", timeout: 420_000, intervals: [2_000],
      })
      .toBe("completed");

    // Every worker did work that the network accepted (agreed by another owner's replica or the reference).
    // A round's fragments are open in the schema (`unknown`): lib/protocol's Proof types them.
    const proof = must("proof", await api.GET("/api/jobs/{id}/proof", { params: { path: { id: demo!.id } } })) as unknown as Proof;
    const accepted = proof.rounds.flatMap((r) => r.fragments.flatMap((f) => f.results)).filter((r) => r.status === "accepted");
    const byNode = new Map<string, number>();
    for (const r of accepted) byNode.set(r.nodeId, (byNode.get(r.nodeId) ?? 0) + 1);
    for (const node of ["1", "2", "3"]) expect(byNode.get(node) ?? 0, `accepted results of node #${node}`).toBeGreaterThan(0);
    expect(proof.rounds.every((r) => r.status === "aggregated")).toBe(true);
    for (const [i, { worker }] of tabs.entries()) {
      const counters = await worker.counters();
      expect(counters.done, `tab ${i + 1}'s fragments done`).toBeGreaterThan(0);
      await info.attach(`worker-tab-${i + 1}`, { body: await worker.page.screenshot({ fullPage: true }), contentType: "image/png" });
    }
    expect(await cli.stop(), `the CLI worker exits cleanly on Ctrl-C:\n${cli.output()}`).toBe(0);
    expect(cli.output()).toMatch(/stopped: [1-9][0-9]* fragments submitted/);

    // The job page: completed, one row per aggregated round, and the training loss fell.
    const page = tabs[0]!.worker.page;
    const job = new JobPage(page);
    await job.goto(demo!.id);
    await expect(job.statusBadge).toHaveText("completed");
    const losses = await job.roundLosses();
    expect(losses).toHaveLength(proof.rounds.length);
    expect(losses.at(-1)!, `train loss by round: ${losses.join(", ")}`).toBeLessThan(losses[0]!);
    await info.attach("job-page", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  } finally {
    await cli?.stop();
    for (const { context } of tabs) await context.close();
  }
});

// Two features, a label that is a line through them: learnable in a few rounds.
const csv = ["width,height,shape", ...Array.from({ length: 80 }, (_, i) => {
  const w = (i % 10) / 9;
  const h = Math.floor(i / 10) / 7;
  return `${w.toFixed(3)},${h.toFixed(3)},${w + h > 1 ? "tall" : "flat"}`;
})].join("\n");

test("an initiator creates a funded job from a CSV and watches it train on a running worker", async ({ page }, info) => {
  test.setTimeout(300_000);
  await installInjectedWallet(page, { account: devAccounts[2] });
  const form = new NewJobPage(page);
  await form.goto();
  await form.shell.connect();
  await form.dropCsv("shapes.csv", csv, "shape");
  await form.upload();
  await expect(form.uploaded).toContainText("80 rows, 2 features, 2 classes");
  await form.set("Rounds R", "3");
  await form.set("Shards S", "2");
  await form.set("Hidden layers (comma-separated)", "8");
  // One worker runs: one replica per fragment and no spot checks (they need a second owner). The fee
  // (escrowed by createTask, paid to the worker through the next epoch's fee leaves) puts it ahead of unfunded jobs.
  await form.set("Redundancy k", "1");
  await form.set("Spot-check rate", "0");
  await form.set("Fee (CXT)", "10");
  await form.create();
  await expect(page).toHaveURL(JobPage.url, { timeout: 30_000 });
  const job = new JobPage(page);
  await expect(job.statusBadge).toHaveText("active", { timeout: 30_000 });
  await info.attach("job-active", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  // A node operator's CLI worker (anvil account #3, demo node #3) picks it up; the page follows live.
  const cli = startCliWorker({ accountIndex: 3, nodeId: "3" });
  try {
    await expect(job.rounds.locator("tbody tr[data-round]")).not.toHaveCount(0, { timeout: 120_000 });
    await info.attach("job-training", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
    await expect(job.statusBadge).toHaveText("completed", { timeout: 180_000 });
  } finally {
    await cli.stop();
    await info.attach("cli-worker.log", { body: cli.output(), contentType: "text/plain" });
  }
  const losses = await job.roundLosses();
  expect(losses).toHaveLength(3);
  expect(losses[2]!, `train loss by round: ${losses.join(", ")}`).toBeLessThan(losses[0]!);
  await info.attach("job-completed", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
});
