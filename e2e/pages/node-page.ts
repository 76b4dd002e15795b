import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** /nodes (register) and /nodes/[id] (tier, tranches, owner actions, rewards claim). */
export class NodePage {
  static readonly url = /\/nodes\/\d+(\?new=1)?$/;
  readonly shell: AppShell;
  readonly tier: Locator;
  readonly stake: Locator;
  readonly unbonding: Locator;
  readonly weight: Locator;
  readonly tranches: Locator;
  readonly work: Locator;
  readonly claimPanel: Locator;
  readonly claimable: Locator;
  readonly claimEpoch: Locator;
  readonly claimed: Locator;
  readonly balance: Locator;
  readonly claimButton: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.tier = page.getByTestId("node-tier");
    this.stake = page.getByTestId("node-stake");
    this.unbonding = page.getByTestId("node-unbonding");
    this.weight = page.getByTestId("node-weight");
    this.tranches = page.getByTestId("tranches").locator("tbody tr");
    this.work = page.getByTestId("node-work");
    this.claimPanel = page.getByTestId("claim-panel");
    this.claimable = page.getByTestId("claimable");
    this.claimEpoch = page.getByTestId("claim-epoch");
    this.claimed = page.getByTestId("claimed");
    this.balance = page.getByTestId("cxt-balance");
    // The reward claim (not the task-fee claim below it, "Claim task fees (n transactions)").
    this.claimButton = this.claimPanel.getByRole("button", { name: /^(Claim|Claimed|Claimed — updating…)$/ });
  }

  async goto(nodeId: number | string) {
    await this.page.goto(`/nodes/${nodeId}`);
  }

  async gotoList() {
    await this.page.goto("/nodes");
  }

  async register(kind: "GPU" | "CPU" | "Edge device" | "Browser", uri: string) {
    await this.page.getByRole("button", { name: "Register a node" }).click();
    const form = this.page.getByRole("form", { name: "Register a node" });
    await form.getByLabel("Kind").selectOption({ label: kind });
    await form.getByLabel("Metadata URI (optional)").fill(uri);
    await form.getByRole("button", { name: "Register" }).click();
    await expect(this.page).toHaveURL(NodePage.url, { timeout: 30_000 });
  }

  nodeId(): string {
    return new URL(this.page.url()).pathname.split("/").pop()!;
  }

  async stakeCxt(amount: string) {
    await this.page.getByLabel("Amount to stake (CXT)").fill(amount);
    await this.page.getByRole("button", { name: "Stake", exact: true }).click();
  }

  async requestUnstake(amount: string) {
    await this.page.getByLabel("Amount to unstake (CXT)").fill(amount);
    await this.page.getByRole("button", { name: "Request unstake" }).click();
  }

  async withdraw() {
    await this.page.getByRole("button", { name: "Withdraw released stake" }).click();
  }

  /**
   * Starts recording every text the toasts show (each stage of a transaction is its own DOM commit:
   * sonner flushes every update in its own task, and a MutationObserver sees each one).
   */
  async recordToasts() {
    await this.page.evaluate(() => {
      const w = window as unknown as { __corexToastLog?: string[] };
      const log: string[] = (w.__corexToastLog = []);
      new MutationObserver(() => {
        for (const el of document.querySelectorAll("[data-sonner-toast]")) {
          const text = (el as HTMLElement).innerText.replace(/\s+/g, " ").trim();
          if (text && !log.includes(text)) log.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }

  /** The toast texts recorded since `recordToasts`, in the order they first appeared. */
  async toastLog(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __corexToastLog?: string[] }).__corexToastLog ?? []);
  }

  toast(text: string | RegExp): Locator {
    return this.shell.toasts.getByRole("listitem").filter({ hasText: text });
  }
}
