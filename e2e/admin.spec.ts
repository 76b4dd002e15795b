import { expect, test } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";

// scripts/e2e-server.ts puts devAccounts[1] on ADMIN_ADDRESSES.

test("the admin page and API refuse a wallet that is not an admin", async ({ page, request }, info) => {
  expect((await request.get("/api/admin/metrics")).status()).toBe(401);
  await installInjectedWallet(page, { account: devAccounts[2] });
  await page.goto("/admin");
  await expect(page.getByText("Sign in with an admin wallet")).toBeVisible();
  await new AppShell(page).connect();
  const res = await page.request.get("/api/admin/metrics");
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  await page.reload();
  await expect(page.getByText("403 — not an admin wallet")).toBeVisible();
  await expect(page.getByText("Staked CXT")).toHaveCount(0);
  await info.attach("refused", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
});

test("an admin sees the figures, the charts over time and the same figures as JSON", async ({ page }, info) => {
  await installInjectedWallet(page, { account: devAccounts[1] });
  await page.goto("/admin");
  await new AppShell(page).connect();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Network metrics" })).toBeVisible();
  await expect(page.getByText("Staked CXT").locator("..")).toContainText(/\d/);
  await expect(page.getByRole("img", { name: "CXT emitted per epoch" }).locator("svg").first()).toBeVisible();
  await expect(page.getByRole("img", { name: "Indexer lag (blocks) and reorgs" })).toBeVisible();
  const body = (await (await page.request.get("/api/admin/metrics")).json()) as { figures: Record<string, unknown>; series: { emission: { cxt: number }[] } };
  expect(body.series.emission[0]?.cxt).toBe(182_500);
  expect(Number(body.figures.activeNodes)).toBeGreaterThanOrEqual(3);
  await info.attach("admin", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
});
