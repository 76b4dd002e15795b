import { expect, test } from "@playwright/test";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";
import { WorkerPage } from "./pages/worker-page";
import { startCliWorker } from "./support/cli-worker";

// devAccounts[2] registered the demo CPU node (#2) in the dev seed; the demo MNIST job is active.
test("a volunteer connects, delegates a session key with one signature, starts, and the tab computes and submits fragments", async ({ page }) => {
  test.setTimeout(330_000);
  await installInjectedWallet(page, { account: devAccounts[2] });
  const worker = new WorkerPage(page);
  await worker.goto();
  await worker.shell.connect();
  await expect(worker.node).toContainText("#2");
  await worker.delegate.click();
  await expect(page.getByText(/Session key 0x[0-9a-fA-F]{8}… signs results until/)).toBeVisible({ timeout: 20_000 });
  await worker.start.click();
  await expect(page.getByText(/Compute-PoC passed/)).toBeVisible({ timeout: 60_000 });
  await expect(worker.done).not.toHaveText(/^0 \//, { timeout: 120_000 });
  const submitted = await page.request.get("/api/jobs?status=active");
  expect(submitted.ok()).toBe(true);
  await worker.pause.click();
  await expect(worker.state).toHaveText("paused");
  await worker.resume.click();
  await expect(worker.state).not.toHaveText("paused");

  // Truthful counters (issue 25): accepted, pending and rejected as the server has them, summing to
  // what the tab submitted — a receipt says "pending" until another owner's replica settles it.
  const count = async (id: string) => Number(await page.getByTestId(id).textContent());
  const verdicts = async () => (await count("worker-accepted")) + (await count("worker-pending")) + (await count("worker-rejected"));
  await expect.poll(async () => (await verdicts()) === (await worker.counters()).done).toBe(true);
  // A second owner's replicas (a CLI worker on node #1) settle the tab's fragments: its accepted count follows.
  const cli = startCliWorker({ accountIndex: 1, nodeId: "1", poc: 0 });
  try {
    await expect.poll(() => count("worker-accepted"), { timeout: 150_000, intervals: [2_000] }).toBeGreaterThan(0);
    expect((await worker.counters()).accepted).toBe(await count("worker-accepted"));
    // Accepted work is worth CXT: estimated at the seeded genesis epoch's rewards per FLOP.
    await expect(page.getByTestId("worker-earned")).toHaveText(/^≈ (?!0 CXT)[\d,.]+ CXT$/);
    await expect(page.getByText("Estimated CXT earned this session (at epoch 1's rate)")).toBeVisible();
    await expect(page.getByRole("list", { name: "Steps" }).locator('[aria-current="step"]')).toHaveText("3. Start computing");
  } finally {
    await cli.stop();
  }
});
