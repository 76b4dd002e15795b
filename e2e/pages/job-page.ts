import type { Locator, Page } from "@playwright/test";

/** /jobs/{id}: status, progress, the rounds table, charts, fragments by state, the proof chain, downloads. */
export class JobPage {
  /** The status badge ("awaiting chain", "active", "completed", "cancelled", "failed"). */
  readonly statusBadge: Locator;
  /** The table captioned "Rounds": one `tr[data-round]` per aggregated round. */
  readonly rounds: Locator;

  constructor(readonly page: Page) {
    this.statusBadge = page.getByTestId("job-status");
    this.rounds = page.getByRole("table", { name: "Rounds" });
  }

  static readonly url = /\/jobs\/[0-9a-f-]{36}$/;

  async goto(id: string) {
    await this.page.goto(`/jobs/${id}`);
  }

  /** The job's status text, e.g. "active", "completed", "cancelled". */
  async status(): Promise<string> {
    return ((await this.statusBadge.textContent()) ?? "").trim();
  }

  /** Train loss per aggregated round, in round order (the table's second column). */
  async roundLosses(): Promise<number[]> {
    const rows = await this.rounds.locator("tbody tr[data-round]").evaluateAll((trs) =>
      trs.map((tr) => ({ round: Number(tr.getAttribute("data-round")), loss: Number(tr.querySelectorAll("td")[1]?.textContent) })),
    );
    return rows.sort((a, b) => a.round - b.round).map((r) => r.loss);
  }
}
