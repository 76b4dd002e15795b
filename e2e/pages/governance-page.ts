import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** /governance: the new-proposal form and each proposal's card with its on-chain actions. */
export class GovernancePage {
  readonly shell: AppShell;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
  }

  async goto() {
    await this.page.goto("/governance");
  }

  async proposeDelay(seconds: string, description: string) {
    const form = this.page.getByRole("form", { name: "Create a proposal" });
    await form.getByLabel("Set the timelock delay").check();
    await form.getByLabel("New delay (seconds)").fill(seconds);
    await form.getByLabel("Description").fill(description);
    await form.getByRole("button", { name: "Propose" }).click();
  }

  proposal(description: string): Locator {
    return this.page.getByTestId("proposal").filter({ has: this.page.getByRole("heading", { name: description }) });
  }

  async expectOnChainState(description: string, state: string) {
    await expect(this.proposal(description).getByTestId("governor-state")).toHaveText(state, { timeout: 20_000 });
  }

  toast(text: string | RegExp): Locator {
    return this.shell.toasts.getByRole("listitem").filter({ hasText: text });
  }
}
