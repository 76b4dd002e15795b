import { expect, test, type Page } from "@playwright/test";
import { encodeFunctionData, parseEther } from "viem";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { AboutPage } from "./pages/about-page";
import { AppShell } from "./pages/app-shell";
import { JobPage } from "./pages/job-page";
import { NewJobPage } from "./pages/new-job-page";
import { NodePage } from "./pages/node-page";
import { devKey } from "./support/cli-worker";
import { devRpc } from "./support/dev-chain";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";

// Issue 25, "Broken today": feedback you cannot miss and money checked before the wallet opens. Each
// test uses its own anvil dev account (#5–#9: unlocked, ETH for gas, no CXT and no node in the seed),
// so the seeded state the other specs read stays as it was.
const account = (i: 5 | 6 | 7 | 8 | 9) => devKey(i).address;

/** Registers a node from the connected wallet on /nodes and waits for its page (mirrored). */
async function registerNode(node: NodePage, uri: string): Promise<string> {
  await node.register("CPU", uri);
  const id = node.nodeId();
  await expect(node.page.getByRole("heading", { level: 1 })).toHaveText(`Node #${id}`);
  await expect(node.stake).toHaveText("0 CXT", { timeout: 20_000 });
  return id;
}

/** Sends `amount` CXT from the seed's GPU node owner (devAccounts[1]) to `to`; the token's address is About & status's. */
async function fundWithCxt(page: Page, to: string, amount: string) {
  const about = new AboutPage(page);
  await about.goto();
  const token = await about.contractAddress("CXTToken");
  expect(token).toMatch(/^0x[0-9a-fA-F]{40}$/);
  const data = encodeFunctionData({ abi: cxtTokenAbi, functionName: "transfer", args: [to as `0x${string}`, parseEther(amount)] });
  await devRpc("eth_sendTransaction", [{ from: devAccounts[1], to: token, data }]);
}

test("(1, 3, 7) toasts are whole on screen at 1280 px and on a scrolled 390 px page, and a revert reads as a sentence", async ({ page }) => {
  test.setTimeout(120_000);
  await installInjectedWallet(page, { account: account(5) });
  await page.setViewportSize({ width: 1280, height: 800 });
  const node = new NodePage(page);
  await node.gotoList();
  await node.shell.connect();
  await page.getByRole("button", { name: "Register a node" }).click();
  const form = page.getByRole("form", { name: "Register a node" });
  await form.getByLabel("Metadata URI (optional)").fill("corex://e2e/toasts");
  await form.getByRole("button", { name: "Register" }).click();
  // The header's backdrop-blur made it the toasts' containing block: only their last line showed.
  await expect(node.toast("Register node")).toBeInViewport({ ratio: 1 });
  await expect(page).toHaveURL(NodePage.url, { timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Node #${node.nodeId()}`, { timeout: 20_000 });
  // No tranche, so no countdown to point at.
  await expect(page.getByText("Nothing is unbonding: request an unstake first.")).toBeVisible();
  await expect(page.getByText(/countdown above/)).toHaveCount(0);

  await page.setViewportSize({ width: 390, height: 844 });
  const withdraw = page.getByRole("button", { name: "Withdraw released stake" });
  await withdraw.scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
  await withdraw.click();
  const toast = node.toast("Withdraw released stake");
  await expect(toast).toContainText(`Nothing is unbonding on node #${node.nodeId()}: request an unstake first.`, { timeout: 20_000 });
  await expect(toast).toBeInViewport({ ratio: 1 });
});

test("(2, 3) staking without CXT is refused before the wallet opens, and the button says why", async ({ page }) => {
  test.setTimeout(120_000);
  await installInjectedWallet(page, { account: account(6) });
  const node = new NodePage(page);
  await node.gotoList();
  await node.shell.connect();
  await registerNode(node, "corex://e2e/no-cxt");
  await page.getByLabel("Amount to stake (CXT)").fill("100");
  const refused = page.getByRole("button", { name: "Insufficient CXT balance" });
  await expect(refused).toBeDisabled();
  await expect(page.getByText("This needs 100 CXT; the wallet holds 0 CXT.")).toBeVisible();
  await expect(page.getByTestId("tier-preview")).toContainText("Stake after: 100 CXT — stays Bronze.");
  // Nothing was sent: no approval toast.
  await expect(node.toast("Approve CXT for staking")).toHaveCount(0);
});

test("(2) a job whose fee is above the balance: the form says so, and a stuck job shows its fee and is re-priced or discarded", async ({ page }) => {
  test.setTimeout(150_000);
  await installInjectedWallet(page, { account: account(6) });
  const form = new NewJobPage(page);
  await form.goto();
  await form.shell.connect();
  await form.chooseSource("Iris (built-in)");
  await form.set("Fee (CXT)", "50");
  await expect(form.createButton).toHaveText("Create job — Insufficient CXT balance");
  await expect(form.createButton).toBeDisabled();
  await expect(page.getByTestId("fee-problem")).toContainText("This needs 50 CXT; the wallet holds 0 CXT.");

  // A job created (through the API, as a script or an earlier version of the page did) but never put on chain.
  const create = () => page.request.post("/api/jobs", { data: { dataset: "iris", hyper: { rounds: 1, shards: 2 }, fee: parseEther("50").toString() } });
  const stuck = await create();
  expect(stuck.status()).toBe(201);
  const { id } = (await stuck.json()) as { id: string };
  const job = new JobPage(page);
  await job.goto(id);
  await expect(job.statusBadge).toHaveText("awaiting chain");
  await expect(page.getByTestId("job-fee")).toHaveText("50 CXT");
  await expect(page.getByRole("button", { name: "Send createTask — Insufficient CXT balance" })).toBeDisabled();

  // Re-priced to nothing, it goes on chain.
  await page.getByLabel("New fee (CXT)").fill("0");
  await page.getByRole("button", { name: "Change fee" }).click();
  await expect(page.getByTestId("job-fee")).toHaveText("0 CXT", { timeout: 20_000 });
  await page.getByRole("button", { name: "Send createTask (fee 0 CXT)" }).click();
  await expect(job.statusBadge).toHaveText("active", { timeout: 30_000 });
  // Cancelled again (no escrow: at once), so the specs after this one see no extra active job.
  await page.getByRole("button", { name: "Cancel job" }).click();
  await expect(job.statusBadge).toHaveText("cancelled", { timeout: 30_000 });

  // Or discarded.
  const other = (await (await create()).json()) as { id: string };
  await job.goto(other.id);
  await page.getByRole("button", { name: "Discard job" }).click();
  await expect(job.statusBadge).toHaveText("expired", { timeout: 20_000 });
});

test("(5) sign-in works from 127.0.0.1, and a refused sign-in shows the server's reason", async ({ page, browser, baseURL }) => {
  const loopback = baseURL!.replace("localhost", "127.0.0.1");
  await installInjectedWallet(page, { account: account(7) });
  const shell = new AppShell(page);
  await page.goto(`${loopback}/nodes`);
  await shell.connect();
  await expect(shell.accountButton(account(7))).toBeVisible();
  expect(((await (await page.request.get(`${loopback}/api/auth/session`)).json()) as { address: string }).address).toBe(account(7));

  // A fresh browser whose sign-in the server refuses (a 500 under load): the toast gives its reason.
  const context = await browser.newContext({ baseURL });
  try {
    const other = await context.newPage();
    await installInjectedWallet(other, { account: account(7) });
    await other.route("**/api/auth/verify", (route) =>
      route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "internal", message: "database timeout" } }) }),
    );
    await other.goto("/nodes");
    const otherShell = new AppShell(other);
    await otherShell.signMessage();
    await expect(otherShell.toast("Sign-in failed")).toContainText("The server failed (HTTP 500, internal): database timeout. Try again in a moment.");
  } finally {
    await context.close();
  }
});

test("(6) after a confirmed stake the node page says it is updating until the mirror has the block, then shows the new stake", async ({ page }) => {
  test.setTimeout(150_000);
  await fundWithCxt(page, account(8), "2000");
  await installInjectedWallet(page, { account: account(8) });
  const node = new NodePage(page);
  await node.gotoList();
  await node.shell.connect();
  const id = await registerNode(node, "corex://e2e/pending");
  await expect(page.getByTestId("cxt-wallet-balance")).toContainText("Wallet: 2,000 CXT");
  await page.getByRole("button", { name: "MAX" }).click();
  await expect(page.getByLabel("Amount to stake (CXT)")).toHaveValue("2000");
  await page.getByLabel("Amount to stake (CXT)").fill("1500");
  await page.getByRole("button", { name: "Stake", exact: true }).click();
  await expect(page.getByTestId("tx-step")).toHaveText("Step 1 of 2: Approve CXT for staking…");
  await expect(node.toast(/^Stake 1500 CXT/).filter({ hasText: "Confirmed" })).toBeVisible({ timeout: 30_000 });
  // From the confirmation on, never the stale 0 CXT as if it were current.
  await expect.poll(async () => (await page.getByTestId("mirror-pending").isVisible()) || (await node.stake.textContent()) === "1,500 CXT", { timeout: 2_000 }).toBe(true);
  await expect(page.getByTestId("tx-result")).toHaveText(`Staked 1,500 CXT on node #${id}.`, { timeout: 30_000 });
  await expect(node.stake).toHaveText("1,500 CXT", { timeout: 1_000 });
  await expect(page.getByTestId("mirror-pending")).toHaveCount(0);
});

test("(7) phone layouts: every tier is labelled on the rankings chart, and the new-job form does not overflow or wrap its button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/rankings");
  const ticks = page.getByRole("img", { name: "Nodes and stake per tier" }).locator(".recharts-cartesian-axis-tick-value").filter({ hasText: /^(Bronze|Silver|Gold|Platinum)$/ });
  await expect(ticks).toHaveText(["Bronze", "Silver", "Gold", "Platinum"], { timeout: 20_000 });

  await installInjectedWallet(page, { account: account(9) });
  const form = new NewJobPage(page);
  await form.goto();
  await form.shell.connect();
  await form.dropCsv("colours.csv", ["a,b,kind", ...Array.from({ length: 30 }, (_, i) => `${i % 7},${i % 5},${i % 2 ? "red" : "blue"}`)].join("\n"), "kind");
  await expect(form.scaling).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth), "no horizontal overflow at 390 px").toBeLessThanOrEqual(390);
  // A refusal from the server (no upload needed: a built-in dataset).
  await form.chooseSource("Iris (built-in)");
  await form.set("Rounds R", "0");
  await form.create();
  await expect(page.getByRole("alert").filter({ hasText: "Check the form: Rounds R must be at least 1." })).toBeVisible({ timeout: 20_000 });
  const box = (await form.createButton.boundingBox())!;
  expect(box.height, "Create job stays on one line").toBeLessThan(48);
});

test("(7) at 1280 px the worker's device list has room before the card below it", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/worker");
  const probe = page.getByTestId("webgpu-status");
  await expect(probe).toBeVisible({ timeout: 20_000 });
  const panel = page.locator("main section").first();
  await expect(panel).toBeVisible({ timeout: 20_000 });
  const [a, b] = [(await probe.boundingBox())!, (await panel.boundingBox())!];
  expect(b.y - (a.y + a.height)).toBeGreaterThanOrEqual(12);
});

test("the front door leads with three calls to action", async ({ page }) => {
  await page.goto("/");
  const start = page.getByRole("navigation", { name: "Get started" });
  await expect(start.getByRole("link")).toHaveText(["Train a model", "Contribute this browser", "Run a node"]);
  await start.getByRole("link", { name: "Contribute this browser" }).click();
  await expect(page).toHaveURL(/\/worker$/);
});
