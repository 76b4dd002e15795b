import type { Locator, Page } from "@playwright/test";

/** /jobs/{id}: status, progress, the rounds table, charts, fragments by state, the proof chain, downloads. */
export class JobPage {
  /** The status badge ("awaiting chain", "active", "completed", "cancelled", "failed"). */
  readonly statusBadge: Locator;
  /** The table captioned "Rounds": one `tr[data-round]` per aggregated round. */
  readonly rounds: Locator;
  /** The loss chart (train and held-out, or validation for a language model), an image named by its caption. */
  readonly lossChart: Locator;
  /** A language model's samples from the latest aggregated round, one list item each. */
  readonly samples: Locator;
  /** The "Samples" section's note: which round's weights generated them. */
  readonly samplesSource: Locator;

  /** The run's name: its dataset and kind ("mnist classifier"). */
  readonly heading: Locator;
  /** "Running for 3 min 12 s", "about 5 min left", "updated 2 s ago". */
  readonly elapsed: Locator;
  readonly eta: Locator;
  readonly updated: Locator;
  /** Verification's folded "Hashes and commands": spec hash, shards, the verify-proof command. */
  readonly hashes: Locator;
  /** An inference job's outputs: "40 of 40 rows classified and verified", a preview table, the download link. */
  readonly outputs: Locator;
  readonly outputsDownload: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.elapsed = page.getByTestId("run-elapsed");
    this.eta = page.getByTestId("run-eta");
    this.updated = page.getByTestId("run-updated");
    this.hashes = page.getByTestId("verification-details");
    this.statusBadge = page.getByTestId("job-status");
    this.outputs = page.getByTestId("inference-outputs");
    this.outputsDownload = this.outputs.getByRole("link", { name: /^Download outputs/ });
    this.rounds = page.getByRole("table", { name: "Rounds" });
    this.lossChart = page.getByRole("img", { name: /^Loss per round/ });
    const samples = page.getByRole("region", { name: "Samples" });
    this.samples = samples.getByRole("listitem");
    this.samplesSource = samples.getByText(/^Generated from round \d+/);
  }

  static readonly url = /\/jobs\/[0-9a-f-]{36}$/;

  async goto(id: string) {
    await this.page.goto(`/jobs/${id}`);
  }

  /** Clicks the outputs download as a person would; returns the downloaded file's text and its suggested name. */
  async downloadOutputs(): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent("download"), this.outputsDownload.click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString("utf8") };
  }

  /** The job's status text, e.g. "active", "completed", "cancelled". */
  async status(): Promise<string> {
    return ((await this.statusBadge.textContent()) ?? "").trim();
  }

  /** The numbers in the Rounds table's column named `column` (e.g. "Validation loss"), in round order. */
  async roundColumn(column: string): Promise<number[]> {
    const headers = (await this.rounds.getByRole("columnheader").allTextContents()).map((h) => h.trim());
    const at = headers.indexOf(column);
    if (at < 0) throw new Error(`the Rounds table has no column "${column}" (it has ${headers.join(", ")})`);
    const rows = await this.rounds.locator("tbody tr[data-round]").evaluateAll(
      (trs, i) => trs.map((tr) => ({ round: Number(tr.getAttribute("data-round")), value: Number(tr.querySelectorAll("td")[i]?.textContent) })),
      at,
    );
    return rows.sort((a, b) => a.round - b.round).map((r) => r.value);
  }

  /** Train loss per aggregated round, in round order (the table's second column). */
  async roundLosses(): Promise<number[]> {
    const rows = await this.rounds.locator("tbody tr[data-round]").evaluateAll((trs) =>
      trs.map((tr) => ({ round: Number(tr.getAttribute("data-round")), loss: Number(tr.querySelectorAll("td")[1]?.textContent) })),
    );
    return rows.sort((a, b) => a.round - b.round).map((r) => r.loss);
  }
}
