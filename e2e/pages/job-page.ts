import type { Locator, Page } from "@playwright/test";

/** /jobs/{id}: the job's status as the chain confirms its task. */
export class JobPage {
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByTestId("job-status");
  }

  static readonly url = /\/jobs\/[0-9a-f-]{36}$/;
}
