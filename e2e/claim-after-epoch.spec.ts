import { expect, test } from "@playwright/test";
import { NodePage } from "./pages/node-page";
import { timeTravel } from "./support/dev-chain";
import { startCliWorker } from "./support/cli-worker";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";
import { must, typedApi } from "./support/api";

// The dev seed's browser node #3 belongs to devAccounts[3] (2,500 CXT from the genesis epoch, 500 of
// them staked). The e2e server's epoch closer (scripts/epochs.ts) closes an epoch after
// EPOCH_SECONDS = 86,400 s of chain time, and the dev ledger's challenge window is 60 s.
// This spec moves the chain a day ahead and posts epoch 2, so it runs after the specs that read the
// seeded single epoch (playwright.config.ts: project "after-epoch").
const NODE = 3;
const cxt = (text: string | null) => Number((text ?? "").replace(/[^0-9.]/g, ""));

/** The CLI worker (scripts/worker.ts) for node #3 until its Compute-PoC has passed (a compute-proof credential). */
async function proveCapacityWithCliWorker(): Promise<string> {
  const worker = startCliWorker({ accountIndex: 3, nodeId: String(NODE), poc: 256 });
  try {
    return await worker.waitForOutput(/Compute-PoC passed[^\n]*/, /Compute-PoC: /);
  } finally {
    // Ctrl-C: the worker gives back any fragment lease it took after the PoC and exits.
    await worker.stop();
  }
}

test("a claim after an epoch: the operator's node has credentials in a final epoch, claims them in one transaction, and the claim records its work", async ({ page }, info) => {
  test.setTimeout(180_000);
  await installInjectedWallet(page, { account: devAccounts[3] });
  const node = new NodePage(page);
  await node.goto(NODE);
  await node.shell.connect();
  await expect(node.claimPanel).toContainText("Nothing to claim yet");
  await expect(node.work).toHaveText("1 GFLOP");
  await expect(node.tier).toHaveText("Bronze");
  await expect(node.balance).toHaveText("2,000 CXT");

  // Work for epoch 2: the node's first Compute-PoC pass of the epoch is one compute-proof credential of
  // the fixed weight (EPOCH_RULES.computeProof: 100,000 work units, whatever n), not 2·256³ operations.
  expect(await proveCapacityWithCliWorker()).toMatch(/n=256/);
  const creds = must("credentials", await typedApi(page.request).GET("/api/credentials", { params: { query: { node: String(NODE) } } }));
  expect(creds.credentials).toContainEqual(expect.objectContaining({ role: "compute-proof", workUnits: "100000", epoch: null }));

  // A day of chain time: the running closer seals the pending credentials into epoch 2 and posts it.
  await timeTravel(86_401);
  await expect.poll(async () => (await page.request.get("/api/epochs/2/tree")).status(), { timeout: 60_000, intervals: [1_000] }).toBe(200);
  // Past its challenge window, epoch 2 is final and claimable.
  await timeTravel(61);
  await page.reload();
  await expect(node.claimEpoch).toHaveText("2", { timeout: 20_000 });
  await expect(node.claimable).not.toHaveText("0 CXT");
  await expect(node.claimPanel).toContainText("1 GFLOP in total");
  // 1 GFLOP + the pass's 100 kFLOP: below the page's three significant digits, exact in the leaf.
  const leaf = must("claims", await typedApi(page.request).GET("/api/claims/{account}", { params: { path: { account: devAccounts[3] } } }));
  expect(leaf.claims.find((c) => c.nodeId === String(NODE))?.cumulativeWorkUnits).toBe("1000100000");
  const claimable = cxt(await node.claimable.textContent());
  expect(claimable).toBeGreaterThan(0);
  await info.attach("claimable-after-epoch", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  await node.recordToasts();
  await node.claimButton.click();
  const toast = node.toast(/^Claim .* CXT/);
  await expect(toast.filter({ hasText: "Confirmed in block" })).toBeVisible({ timeout: 30_000 });
  // Never the claimed amount offered again while the mirror catches up with the claim's block (issue 25).
  await expect(node.claimButton).toBeDisabled({ timeout: 1_000 });
  // One transaction, its toast moving sign → pending → confirmed.
  const stages = (await node.toastLog()).filter((t) => /^Claim /.test(t));
  const at = (re: RegExp) => stages.findIndex((t) => re.test(t));
  expect(at(/Confirm it in your wallet/)).toBeGreaterThanOrEqual(0);
  expect(at(/Pending · 0x[0-9a-f]{8}/)).toBeGreaterThan(at(/Confirm it in your wallet/));
  expect(at(/Confirmed in block/)).toBeGreaterThan(at(/Pending · 0x[0-9a-f]{8}/));
  expect(stages.filter((t) => /Pending · 0x/.test(t)).map((t) => /0x[0-9a-f]{8}/.exec(t)![0])).toHaveLength(1);
  await expect(node.claimable).toHaveText("0 CXT");
  await expect(node.claimButton).toBeDisabled();
  await expect(node.claimButton).toHaveText("Claimed");
  await expect.poll(async () => cxt(await node.balance.textContent()), { timeout: 20_000 }).toBeCloseTo(2_000 + claimable, 1);
  await expect(node.claimed).not.toHaveText("0");
  // The claim recorded the node's verified work on the chain (the mirror follows): 1 GFLOP + 100 kFLOP,
  // still "1 GFLOP" at three significant digits. Its tier stays Bronze — Silver needs 1,000 CXT staked
  // and 10^11 FLOP, far above what a PoC adds.
  await expect(node.work).toHaveText("1 GFLOP", { timeout: 20_000 });
  await expect(node.tier).toHaveText("Bronze");
  await info.attach("claimed", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
});
