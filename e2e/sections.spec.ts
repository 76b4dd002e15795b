import { expect, test } from "@playwright/test";
import { SectionPage } from "./pages/section-page";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";

// `npm run dev` seeds the fresh dev chain with three nodes (gpu, cpu, browser), a claimed genesis
// epoch, their stakes and one funded task; these pages read them back from the indexer's mirror.

test("nodes page lists the registered nodes with their stake and tier", async ({ page }) => {
  const section = new SectionPage(page);
  await section.open("Nodes & staking");
  await expect(section.heading).toHaveText("Nodes & staking");
  await expect(section.rows).toHaveCount(3);
  await expect(section.row("#1")).toContainText("gpu");
  await expect(section.row("#1")).toContainText("120,000");
  await expect(section.row("#1")).toContainText("Gold");
  await expect(section.row("#3")).toContainText("browser");
});

test("rankings order nodes by tier and chart the tiers", async ({ page }) => {
  const section = new SectionPage(page);
  await section.open("Rankings");
  await expect(section.page.getByRole("img", { name: "Nodes and stake per tier" }).locator("svg").first()).toBeVisible();
  await expect(section.rows.nth(0)).toContainText("Gold");
  await expect(section.rows.nth(1)).toContainText("Silver");
  await expect(section.rows.nth(2)).toContainText("Bronze");
});

test("rankings sort by a column in both directions and keep the sort in the URL", async ({ page }) => {
  const section = new SectionPage(page);
  await section.open("Rankings");
  await page.getByRole("link", { name: "Stake (CXT)" }).click();
  await expect(page).toHaveURL(/sort=stake&dir=desc/);
  await expect(section.rows.nth(0)).toContainText("120,000");
  await expect(page.getByRole("columnheader", { name: /Stake \(CXT\)/ })).toHaveAttribute("aria-sort", "descending");
  await page.getByRole("link", { name: /Stake \(CXT\)/ }).click();
  await expect(page).toHaveURL(/sort=stake&dir=asc/);
  await expect(section.rows.nth(0)).toContainText("500");
  await expect(page.getByText("Page 1 of 1 · 3 nodes")).toBeVisible();
});

test("jobs and explorer show the task and the claimed epoch", async ({ page }) => {
  const section = new SectionPage(page);
  await section.open("Jobs");
  await expect(section.row("#1")).toContainText("1,000");
  await expect(section.row("#1")).toContainText("open");
  await section.open("Explorer");
  await expect(section.rows).toHaveCount(1);
  await expect(section.rows.first()).toContainText("182,500");
  await expect(section.rows.first()).toContainText("final");
});

test("admin metrics add up the mirror", async ({ page }) => {
  await installInjectedWallet(page, { account: devAccounts[1] }); // on ADMIN_ADDRESSES (scripts/e2e-server.ts)
  const section = new SectionPage(page);
  await section.open("Admin");
  await section.shell.connect();
  await page.reload();
  await expect(page.getByText("Staked CXT").locator("..")).toContainText("132,500");
  await expect(page.getByText("CXT supply").locator("..")).toContainText("182,500");
});

test("worker page finds the WebGPU adapter", async ({ page }) => {
  const section = new SectionPage(page);
  await section.open("Worker");
  await expect(page.getByTestId("webgpu-status")).toContainText("Invocations per workgroup");
});

test("one number language on phones: the key column first, then the figures people compare; dates, not block numbers", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const section = new SectionPage(page);
  await page.goto("/nodes");
  const heads = page.getByRole("region", { name: "Registered nodes" }).first().getByRole("columnheader");
  await expect(heads.first()).toHaveText("Node");
  await expect(heads.nth(1)).toHaveText("Tier");
  await expect(heads.nth(2)).toHaveText("Stake (CXT)");
  // At 390 px the figures are on screen without scrolling the table sideways.
  await expect(heads.nth(2)).toBeInViewport();
  await expect(section.row("#1").getByRole("cell").nth(2)).toHaveText("120,000");
  await page.goto("/explorer");
  const epochHeads = page.getByRole("columnheader");
  await expect(epochHeads.nth(1)).toHaveText("State");
  await expect(epochHeads.nth(2)).toHaveText("Emission (CXT)");
  await expect(section.rows.first().getByRole("cell").nth(2)).toHaveText("182,500");
  // A node's stake history says when, not at which block.
  await page.goto("/nodes/1");
  const history = page.getByRole("region", { name: "Stake history" }).first();
  await expect(history.getByRole("columnheader").first()).toHaveText("When");
  await expect(history.getByRole("row").nth(1).getByRole("cell").first()).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
});
