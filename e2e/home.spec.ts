import { expect, test } from "@playwright/test";
import { devAccounts, installInjectedWallet, userSwitchesWalletChain } from "./support/injected-wallet";
import { AboutPage } from "./pages/about-page";
import { HomePage } from "./pages/home-page";

test("home leads with the three calls to action; health and contracts are on About & status", async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  await expect(home.heading).toContainText("Verified AI training");
  const start = page.getByRole("navigation", { name: "Get started" });
  await expect(start.getByRole("link")).toHaveText(["Train a model", "Contribute this browser", "Run a node"]);
  // The operator's view moved off the front door…
  await expect(home.status("database")).toHaveCount(0);
  await expect(page.getByRole("cell", { name: "CXTToken" })).toHaveCount(0);
  // …to About & status, linked from every page's footer.
  await page.getByRole("contentinfo").getByRole("link", { name: "About & status" }).click();
  const about = new AboutPage(page);
  await expect(about.heading).toHaveText("About & status");
  await expect(about.status("database")).toContainText("healthy");
  await expect(about.status("chain")).toContainText("chain 31337");
  expect(await about.contractAddress("CXTToken")).toMatch(/^0x[0-9a-fA-F]{40}$/);
  await expect(page.getByRole("link", { name: /^Governance/ }).last()).toBeVisible();
});

test("home page says what the network does now and refreshes it live", async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  // The dev seed: three active nodes, a genesis epoch of 182,500 CXT claimed, the demo MNIST job training.
  await expect(home.live("nodes")).toHaveText("3");
  await expect(home.live("cxt")).toHaveText("182,500 CXT");
  expect(Number(await home.live("jobs").textContent())).toBeGreaterThanOrEqual(1);
  // Accepted fragments per minute over the last five minutes (e2e-job-page.spec trains a job and sees it rise).
  await expect(home.live("fragments")).toHaveText(/^\d+(\.\d)?$/);
  await expect(page.getByText(/Epoch 2 collecting · epoch 1 final/)).toBeVisible();
  // Live: the page asks the server for fresh figures by itself (an RSC refresh), with no reload.
  // (Link prefetches of other pages are RSC requests too: wait for one of this page.)
  const refresh = await page.waitForRequest((r) => r.headers()["rsc"] === "1" && new URL(r.url()).pathname === "/", { timeout: 15_000 });
  expect(refresh.method()).toBe("GET");
});

test("connects an injected wallet backed by the dev chain", async ({ page }) => {
  await installInjectedWallet(page, { account: devAccounts[1] });
  const home = new HomePage(page);
  await home.goto();
  await home.shell.connect();
  await expect(home.shell.accountButton(devAccounts[1])).toBeVisible();
  await expect(home.shell.wrongNetwork).toBeHidden();
});

test("prompts a wallet that moves to another chain to switch back", async ({ page }) => {
  await installInjectedWallet(page);
  const home = new HomePage(page);
  await home.goto();
  await home.shell.connect();
  await expect(home.shell.wrongNetwork).toBeHidden();
  await userSwitchesWalletChain(page, 1);
  await expect(home.shell.wrongNetwork).toBeVisible();
  await home.shell.wrongNetwork.getByRole("button", { name: /Switch to/ }).click();
  await expect(home.shell.wrongNetwork).toBeHidden();
  await expect(home.shell.toasts.getByText(/^Switched to /)).toBeVisible();
});

test("a wallet left connected comes back after a reload, with its wallet stack", async ({ page }) => {
  await installInjectedWallet(page, { account: devAccounts[2] });
  const home = new HomePage(page);
  await home.goto();
  await home.shell.connect();
  await expect(home.shell.accountButton(devAccounts[2])).toBeVisible();
  await page.reload();
  await expect(home.shell.accountButton(devAccounts[2])).toBeVisible();
  await expect(home.shell.connectButton).toBeHidden();
});

test("health endpoint reports every part", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.status).toBe("ok");
  expect(body.database.ok).toBe(true);
  expect(body.chain).toMatchObject({ ok: true, chainId: 31337, deployment: { present: true, matchesChain: true } });
  expect(body.indexer.ok).toBe(true);
  expect(body.indexer.checkpoint).toBeGreaterThanOrEqual(4);
});
