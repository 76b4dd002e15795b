import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/**
 * /jobs/new: dataset cards (built-ins, mine, published, or an upload), the model, the basics (rounds,
 * fee), the other hyper-parameters under "Advanced", the estimate, createTask.
 */
export class NewJobPage {
  readonly shell: AppShell;
  readonly preview: Locator;
  readonly uploaded: Locator;
  readonly createButton: Locator;
  readonly scaling: Locator;
  readonly advanced: Locator;
  readonly estimate: Locator;
  /** The fee split when a published dataset's provider takes a share. */
  readonly feeSplit: Locator;
  readonly providerTerms: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.preview = page.getByRole("table", { name: "CSV preview" });
    this.uploaded = page.getByTestId("uploaded");
    this.createButton = page.getByRole("button", { name: "Create job" });
    this.scaling = page.getByLabel("Input scaling");
    this.advanced = page.locator("details#advanced");
    this.estimate = page.getByTestId("estimate");
    this.feeSplit = page.getByTestId("fee-split");
    this.providerTerms = page.getByTestId("provider-terms");
  }

  /** A dataset card chosen by its title, e.g. "Colours (published)". */
  async chooseDataset(title: string) {
    await this.page.getByRole("radiogroup", { name: "Dataset" }).getByRole("radio", { name: title, exact: true }).check();
  }

  /** Unfolds "Advanced" (the hyper-parameters past the basics) if it is folded. */
  async openAdvanced() {
    if (!(await this.advanced.evaluate((d) => (d as HTMLDetailsElement).open))) await this.advanced.locator("summary").click();
  }

  async goto() {
    await this.page.goto("/jobs/new");
  }

  /** "Classifier (MLP)" or "Language model": the task brings its own sources, model fields and training defaults. */
  async chooseTask(task: "Classifier (MLP)" | "Language model") {
    await this.page.getByRole("radiogroup", { name: "Task" }).getByRole("radio", { name: task }).check();
  }

  /** A dataset source of the chosen task, e.g. "Names (built-in)" (a radio, by its accessible name). */
  source(source: string): Locator {
    return this.page.getByRole("radio", { name: source, exact: true });
  }

  async chooseSource(source: string) {
    await this.source(source).check();
  }

  /** A form field by its label, e.g. "Width (dim)" or "Rounds R". */
  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  async dropCsv(name: string, csv: string, label: string) {
    await this.page.getByLabel("Upload a CSV").check();
    await this.page.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
    await expect(this.preview).toBeVisible();
    await this.page.getByLabel("Label column").selectOption(label);
  }

  async upload() {
    await this.page.getByRole("button", { name: "Upload dataset" }).click();
  }

  /** Fills a field by its label, unfolding "Advanced" first when the field is in it. */
  async set(field: string, value: string) {
    const input = this.field(field);
    if ((await this.advanced.count()) && (await this.advanced.locator(`#${await input.getAttribute("id")}`).count())) await this.openAdvanced();
    await input.fill(value);
  }

  async create() {
    await this.createButton.click();
  }
}

/** /jobs/new?model=<id>: an inference job from a registry model (a classifier: a built-in table or an uploaded CSV). */
export class InferenceJobPage {
  readonly shell: AppShell;
  readonly form: Locator;
  readonly preview: Locator;
  readonly uploaded: Locator;
  readonly createButton: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.form = page.getByTestId("inference-form");
    this.preview = page.getByRole("table", { name: "CSV preview" });
    this.uploaded = page.getByTestId("uploaded");
    this.createButton = page.getByRole("button", { name: "Create inference job" });
  }

  static readonly url = /\/jobs\/new\?model=[0-9a-f-]{36}$/;

  /** Picks "Upload a CSV", chooses the file, its label column and input scaling, and uploads it. */
  async uploadCsv(name: string, csv: string, label: string, scaling: "per-feature" | "global") {
    // A role, not getByLabel: the label element wraps the select, whose options would join its text.
    await this.form.getByRole("combobox", { name: "Dataset", exact: true }).selectOption("csv");
    await this.form.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
    await expect(this.preview).toBeVisible();
    await this.form.getByLabel("Label column").selectOption(label);
    await this.form.getByLabel("Input scaling").selectOption(scaling);
    await this.form.getByRole("button", { name: "Upload dataset" }).click();
  }

  /** A field of "Verification and fee" by its label, e.g. "Replicas per fragment (k)" or "Fee (CXT wei)". */
  async set(label: string, value: string) {
    await this.form.getByLabel(label, { exact: true }).fill(value);
  }

  async create() {
    await this.createButton.click();
  }
}
