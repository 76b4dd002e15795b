import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** /nodes (register) and /nodes/[id] (tier, tranches, owner actions). */
export class NodePage {
  static readonly url = /\/nodes\/\d+(\?new=1)?$/;
  readonly shell: AppShell;
  readonly tier: Locator;
  readonly stake: Locator;
  readonly unbonding: Locator;
  readonly weight: Locator;
  readonly tranches: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.tier = page.getByTestId("node-tier");
    this.stake = page.getByTestId("node-stake");
    this.unbonding = page.getByTestId("node-unbonding");
    this.weight = page.getByTestId("node-weight");
    this.tranches = page.getByTestId("tranches").locator("tbody tr");
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

  toast(text: string | RegExp): Locator {
    return this.shell.toasts.getByRole("listitem").filter({ hasText: text });
  }
}
