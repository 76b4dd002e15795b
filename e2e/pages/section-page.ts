import type { Locator, Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** A section reached from the main navigation, with its data table. */
export class SectionPage {
  readonly shell: AppShell;
  readonly heading: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.heading = page.getByRole("heading", { level: 1 });
    this.rows = page.locator("table tbody tr");
  }

  async open(label: string) {
    await this.page.goto("/");
    await this.shell.navigate(label);
  }

  row(text: string | RegExp): Locator {
    return this.rows.filter({ hasText: text });
  }
}
