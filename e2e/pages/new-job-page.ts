import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** /jobs/new: dataset (built-in or CSV), model, hyper-parameters, createTask. */
export class NewJobPage {
  readonly shell: AppShell;
  readonly preview: Locator;
  readonly uploaded: Locator;
  readonly createButton: Locator;
  readonly scaling: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.preview = page.getByRole("table", { name: "CSV preview" });
    this.uploaded = page.getByTestId("uploaded");
    this.createButton = page.getByRole("button", { name: "Create job" });
    this.scaling = page.getByLabel("Input scaling");
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

  async set(field: string, value: string) {
    await this.field(field).fill(value);
  }

  async create() {
    await this.createButton.click();
  }
}
