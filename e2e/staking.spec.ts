import { expect, test } from "@playwright/test";
import { NodePage } from "./pages/node-page";
import { timeTravel } from "./support/dev-chain";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";

// The dev seed gave devAccounts[1] CXT (genesis claim); the dev chain's unbonding period is 300 s.
test("an operator registers a node, stakes, sees the tier, requests unstake with its countdown and withdraws after time travel", async ({ page }, info) => {
  test.setTimeout(120_000);
  await installInjectedWallet(page, { account: devAccounts[1] });
  const node = new NodePage(page);
  await node.gotoList();
  await node.shell.connect();
  await node.register("CPU", "corex://e2e/operator-node");
  const nodeId = node.nodeId();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Node #${nodeId}`);
  await expect(node.stake).toHaveText("0 CXT");

  await node.stakeCxt("1500");
  await expect(node.toast(/Stake 1500 CXT/).filter({ hasText: "Confirmed" })).toBeVisible({ timeout: 30_000 });
  await expect(node.stake).toHaveText("1,500 CXT", { timeout: 20_000 });
  // 1,500 CXT meets Silver's stake but not its work: still Bronze, and the page says what is missing.
  await expect(node.tier).toHaveText("Bronze");
  await expect(page.getByRole("heading", { name: "Next tier: Silver" })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Stake for Silver" })).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByRole("progressbar", { name: "Work for Silver" })).toHaveAttribute("aria-valuenow", "0");
  await expect(node.weight).toHaveText("1,500");

  // Withdrawing before anything is released is refused with the contract's reason, and nothing moves.
  await node.requestUnstake("400");
  await expect(node.unbonding).toHaveText("400 CXT", { timeout: 20_000 });
  await expect(node.stake).toHaveText("1,100 CXT");
  await expect(node.tranches).toHaveCount(1);
  await expect(node.tranches.first()).toContainText(/\d+ min \d+ s/);
  await info.attach("unbonding-countdown", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  await node.withdraw();
  await expect(node.toast("Withdraw released stake").filter({ hasText: /still unbonding/i })).toBeVisible({ timeout: 20_000 });
  await expect(node.unbonding).toHaveText("400 CXT");

  await timeTravel(301);
  await expect(node.tranches.first()).toContainText("released", { timeout: 20_000 });
  await node.withdraw();
  await expect(node.toast("Withdraw released stake").filter({ hasText: "Confirmed" })).toBeVisible({ timeout: 30_000 });
  await expect(node.unbonding).toHaveText("0 CXT", { timeout: 20_000 });
  await expect(page.getByText("Nothing is unbonding.")).toBeVisible();
  await info.attach("withdrawn", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
});
