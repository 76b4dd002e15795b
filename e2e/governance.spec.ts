import { expect, test } from "@playwright/test";
import { GovernancePage } from "./pages/governance-page";
import { timeTravel } from "./support/dev-chain";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";

// devAccounts[1] owns the seeded Gold node (120,000 CXT staked): enough weight for quorum alone.
// Dev governance: voting delay 1 block, period 20 blocks, timelock 60 s.
test("a proposal is created, voted with the stake weight, queued and executed through the timelock", async ({ page }, info) => {
  test.setTimeout(150_000);
  const description = `Set the timelock delay to 90 s (e2e ${Date.now()})`;
  await installInjectedWallet(page, { account: devAccounts[1] });
  const gov = new GovernancePage(page);
  await gov.goto();
  await gov.shell.connect();

  await gov.proposeDelay("90", description);
  await expect(gov.toast("Create proposal").filter({ hasText: "Confirmed" })).toBeVisible({ timeout: 30_000 });
  const card = gov.proposal(description);
  await expect(card).toBeVisible({ timeout: 20_000 });

  await timeTravel(2); // the governor counts seconds (contracts v3): the voting delay is 1 s on the dev chain
  await gov.expectOnChainState(description, "Active");
  await expect(card.getByText(/Your weight: 180,000/)).toBeVisible();
  await card.getByRole("button", { name: "Vote for" }).click();
  await expect(gov.toast("Vote for").filter({ hasText: "Confirmed" })).toBeVisible({ timeout: 30_000 });
  await expect(card.getByTestId("votes-for")).toContainText("180,000", { timeout: 20_000 });
  await expect(card.getByText("You have voted.")).toBeVisible();

  await timeTravel(21); // past the 20 s voting period
  await gov.expectOnChainState(description, "Succeeded");
  await card.getByRole("button", { name: "Queue" }).click();
  await expect(gov.toast("Queue in the timelock").filter({ hasText: "Confirmed" })).toBeVisible({ timeout: 30_000 });
  await expect(card.getByTestId("proposal-phase")).toHaveText("Queued in the timelock", { timeout: 20_000 });

  // Before the delay the timelock refuses, and the toast says why.
  await card.getByRole("button", { name: "Execute" }).click();
  await expect(gov.toast("Execute through the timelock").filter({ hasText: /timelock unexpected operation state|not ready/i })).toBeVisible({ timeout: 20_000 });

  await timeTravel(61);
  await card.getByRole("button", { name: "Execute" }).click();
  await expect(gov.toast("Execute through the timelock").filter({ hasText: "Confirmed" })).toBeVisible({ timeout: 30_000 });
  await expect(card.getByTestId("proposal-phase")).toHaveText("Executed", { timeout: 20_000 });
  await info.attach("executed", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
});
