import type { Locator, Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** My account (/me): the signed-in wallet's CXT, stake, claims, nodes and jobs, and the dev faucet. */
export class AccountPage {
  readonly shell: AppShell;
  readonly heading: Locator;
  readonly faucetButton: Locator;
  readonly faucetResult: Locator;
  readonly nodes: Locator;
  readonly jobs: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.heading = page.getByRole("heading", { level: 1 });
    this.faucetButton = page.getByRole("button", { name: "Get dev CXT" });
    this.faucetResult = page.getByTestId("faucet-result");
    this.nodes = page.getByRole("region", { name: "My nodes" }).first();
    this.jobs = page.getByRole("region", { name: "My jobs" }).first();
  }

  async goto() {
    await this.page.goto("/me");
  }

  /** A headline figure: wallet balance, staked, unbonding or claimable CXT. */
  figure(name: "balance" | "staked" | "unbonding" | "claimable"): Locator {
    return this.page.getByTestId(`me-${name}`);
  }
}
