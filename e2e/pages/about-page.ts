import type { Locator, Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** About & status: service health cards, the deployed contracts and a card per section of the app. */
export class AboutPage {
  readonly shell: AppShell;
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.heading = page.getByRole("heading", { level: 1 });
  }

  async goto() {
    await this.page.goto("/about");
  }

  status(part: "database" | "chain" | "indexer"): Locator {
    return this.page.getByTestId(`status-${part}`);
  }

  /** A deployed contract's address, from the contracts table. */
  async contractAddress(name: string): Promise<string> {
    const row = this.page.getByRole("row").filter({ has: this.page.getByRole("cell", { name, exact: true }) });
    return ((await row.getByRole("cell").nth(1).textContent()) ?? "").trim();
  }
}
