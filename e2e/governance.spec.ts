import { expect, test } from "@playwright/test";
import { GovernancePage } from "./pages/governance-page";
import { timeTravel } from "./support/dev-chain";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";
import { E2E_VOTING_PERIOD_SECONDS } from "./support/voting";

// devAccounts[1] owns the seeded Gold node (120,000 CXT staked): enough weight for quorum alone.
// e2e governance: voting delay 1 s, period E2E_VOTING_PERIOD_SECONDS (the governor counts seconds), timelock 60 s.

test("a newcomer finds the seeded demo proposal open, with when it closes, its quorum and its result", async ({ page }) => {
  const gov = new GovernancePage(page);
  await gov.goto();
  const demo = gov.proposal("Demo: confirm the timelock delay");
  await expect(demo.getByTestId("proposal-phase")).toHaveText("Voting");
  await expect(demo.getByTestId("governor-state")).toHaveText("Active", { timeout: 20_000 });
  // A time, not a block range: "voting ends in 59 min 12 s (2026-12-07 12:31 UTC)".
  await expect(demo.getByTestId("vote-window")).toHaveText(/^voting ends in (\d+ h )?\d+ min( \d+ s)? \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
  // The seed: the Gold owner for (120,000 × 1.5), the Silver owner against (12,000 × 1.25); quorum is
  // 4 % of the total weight (195,500) = 7,820, counted on For + Abstain.
  await expect(demo.getByTestId("votes-for")).toContainText("180,000");
  await expect(demo.getByTestId("votes-against")).toContainText("15,000");
  await expect(demo.getByTestId("quorum")).toContainText("Quorum reached: 180,000 of 7,820 (For + Abstain)");
  await expect(demo.getByRole("meter", { name: "Quorum" })).toHaveAttribute("aria-valuenow", "100");
});
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
  await expect(card.getByTestId("vote-confirmation")).toHaveText("You voted For with 180,000.");

  await timeTravel(E2E_VOTING_PERIOD_SECONDS + 1); // past the voting period
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
