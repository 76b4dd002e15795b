import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** /datasets: the catalogue, one `tr[data-dataset]` per published dataset, with its search and filters. */
export class CataloguePage {
  readonly shell: AppShell;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.rows = page.getByRole("table", { name: "Datasets" }).locator("tbody tr[data-dataset]");
  }

  async goto() {
    await this.page.goto("/datasets");
  }

  async search(title: string) {
    const form = this.page.getByRole("search", { name: "Search the datasets" });
    await form.getByLabel("Title").fill(title);
    await form.getByRole("button", { name: "Apply" }).click();
    await expect(this.page).toHaveURL(/[?&]q=/);
  }

  row(title: string): Locator {
    return this.rows.filter({ hasText: title });
  }
}

/** /datasets/publish: the file, its label column, then the terms. */
export class PublishPage {
  readonly shell: AppShell;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
  }

  async goto() {
    await this.page.goto("/datasets/publish");
  }

  async publishCsv(opts: { name: string; csv: string; label: string; title: string; description: string; license: string; sharePercent: string }) {
    await this.page.getByLabel(/^File/).setInputFiles({ name: opts.name, mimeType: "text/csv", buffer: Buffer.from(opts.csv) });
    await this.page.getByLabel("Label column").selectOption(opts.label);
    await this.page.getByLabel("Title").fill(opts.title);
    await this.page.getByLabel("Description (Markdown)").fill(opts.description);
    await this.page.getByLabel("Licence (SPDX identifier)").fill(opts.license);
    await this.page.getByLabel("Fee share (%)").fill(opts.sharePercent);
    await this.page.getByRole("button", { name: "Publish dataset" }).click();
  }
}

/** /datasets/{id}: figures, description, schema, preview, versions, jobs, earnings. */
export class DatasetPage {
  static readonly url = /\/datasets\/[0-9a-f-]{36}$/;
  readonly license: Locator;
  readonly feeShare: Locator;
  readonly schema: Locator;
  readonly preview: Locator;
  readonly description: Locator;
  readonly trainOnIt: Locator;
  readonly unlist: Locator;
  readonly earningsPaid: Locator;

  constructor(readonly page: Page) {
    this.license = page.getByTestId("license");
    this.feeShare = page.getByTestId("fee-share");
    this.schema = page.getByTestId("schema");
    this.preview = page.getByTestId("preview");
    this.description = page.getByRole("region", { name: "Description" });
    this.trainOnIt = page.getByTestId("train-on-it");
    this.unlist = page.getByRole("button", { name: "Unlist" });
    this.earningsPaid = page.getByTestId("earnings-paid");
  }
}

/** /datasets/earnings: the signed-in provider's paid, claimable and accruing totals, its Claim, one row per dataset. */
export class EarningsPage {
  readonly shell: AppShell;
  readonly paid: Locator;
  readonly claimable: Locator;
  readonly accruing: Locator;
  /** "Claim 2 CXT", "Nothing to claim", "Claimed — updating…". */
  readonly claimButton: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.paid = page.getByTestId("total-paid");
    this.claimable = page.getByTestId("total-claimable");
    this.accruing = page.getByTestId("total-accruing");
    this.claimButton = page.getByTestId("claim-earnings").getByRole("button");
  }

  async goto() {
    await this.page.goto("/datasets/earnings");
  }

  /** A dataset's row: its fee share, jobs trained, paid, claimable, accruing. */
  row(title: string): Locator {
    return this.page.getByRole("table").locator("tbody tr[data-dataset]").filter({ hasText: title });
  }
}
