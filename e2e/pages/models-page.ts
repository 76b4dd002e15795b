import { expect, type Locator, type Page } from "@playwright/test";

/** /models: the registry table, one `tr[data-model]` per model, newest first. */
export class ModelsPage {
  readonly table: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole("table", { name: "Models" });
    this.rows = this.table.locator("tbody tr[data-model]");
  }

  async goto() {
    await this.page.goto("/models");
  }

  /** The row whose lineage links to job `jobId`. */
  rowOfJob(jobId: string): Locator {
    return this.rows.filter({ has: this.page.locator(`a[href="/jobs/${jobId}"]`) });
  }
}

/** A point on the drawing pad, as fractions of its width and height. */
export type PadPoint = [x: number, y: number];

/** /models/{id}: the card (figures, lineage, downloads) and the Try it panel. */
export class ModelPage {
  readonly tryIt: Locator;
  readonly status: Locator;
  readonly pad: Locator;
  readonly prediction: Locator;
  readonly bars: Locator;
  readonly lineage: Locator;

  constructor(readonly page: Page) {
    this.tryIt = page.getByTestId("try-it");
    this.status = page.getByTestId("try-it-status");
    this.pad = page.getByTestId("digit-pad");
    this.prediction = page.getByTestId("prediction");
    this.bars = page.getByTestId("probability-chart").locator(".recharts-bar-rectangle");
    this.lineage = page.getByTestId("lineage");
  }

  static readonly url = /\/models\/[0-9a-f-]{36}$/;

  async goto(id: string) {
    await this.page.goto(`/models/${id}`);
  }

  /** Waits until the worker has downloaded, checked and loaded the weights; returns the backend it names. */
  async ready(): Promise<string> {
    await expect(this.status).toHaveAttribute("data-phase", "ready", { timeout: 60_000 });
    return ((await this.status.locator("strong").textContent()) ?? "").trim();
  }

  /** Draws one stroke through `points` with the mouse (pointer events, as a person would). */
  async stroke(points: PadPoint[]) {
    const box = await this.pad.boundingBox();
    if (!box) throw new Error("the drawing pad is not visible");
    const at = ([x, y]: PadPoint) => [box.x + x * box.width, box.y + y * box.height] as const;
    await this.page.mouse.move(...at(points[0]!));
    await this.page.mouse.down();
    for (const p of points.slice(1)) await this.page.mouse.move(...at(p), { steps: 12 });
    await this.page.mouse.up();
  }

  async clear() {
    await this.tryIt.getByRole("button", { name: "Clear" }).click();
  }
}
