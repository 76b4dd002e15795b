import type { Locator, Page } from "@playwright/test";
import { AppShell } from "./app-shell";

export class HomePage {
  readonly shell: AppShell;
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.heading = page.getByRole("heading", { level: 1 });
  }

  async goto() {
    await this.page.goto("/");
  }

  /** A figure of "The network now": nodes, jobs, fragments (per minute), cxt, work or epoch. */
  live(figure: "nodes" | "jobs" | "fragments" | "cxt" | "work" | "epoch"): Locator {
    return this.page.getByTestId(`live-${figure}`);
  }

  status(part: "database" | "chain" | "indexer"): Locator {
    return this.page.getByTestId(`status-${part}`);
  }
}
