import { expect, test } from "@playwright/test";
import { CataloguePage, DatasetPage, EarningsPage, PublishPage } from "./pages/datasets-page";
import { JobPage } from "./pages/job-page";
import { NewJobPage } from "./pages/new-job-page";
import { must, typedApi } from "./support/api";
import { withCliWorker } from "./support/cli-worker";
import { timeTravel } from "./support/dev-chain";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";

// Data providers (issue 24): a provider publishes a CSV with a licence and a 10 % share; an initiator
// finds it in the catalogue and creates a job on it, seeing the provider's share before signing; a CLI
// worker trains it to completion; the epoch that holds the job's fee leaves closes and turns final; the
// provider claims its share from the earnings page (TaskManager.claimFee) and sees it paid.
//
// It moves the chain a day ahead (an epoch closes) and its CLI worker would take the seeded demo job's
// fragments: it runs last (playwright.config.ts: project "earnings").
const PROVIDER = devAccounts[3];
// The initiator is not the worker's owner (devAccounts[2] owns the demo CPU node #2 its CLI worker runs for).
const INITIATOR = devAccounts[1];
const csv = ["sepal,petal,width,kind", ...Array.from({ length: 48 }, (_, i) => `${(i % 9) / 2},${i % 4},${(i * 7) % 5},${i % 2 ? "long" : "short"}`)].join("\n");
const title = `Petals ${Date.now().toString(36)}`;

test("a provider publishes a CSV with a licence and a 10% share; an initiator finds it in the catalogue and creates a job on it; a CLI worker trains it; after the epoch the provider claims its share", async ({ browser }, info) => {
  test.setTimeout(420_000);
  const providerPage = await browser.newPage();
  await installInjectedWallet(providerPage, { account: PROVIDER });
  const publish = new PublishPage(providerPage);
  await publish.goto();
  await publish.shell.connect();
  // the blank line after </script>: in CommonMark a <script> HTML block runs to the end of its closing line
  await publish.publishCsv({ name: "petals.csv", csv, label: "kind", title, description: "Measured petals.\n\n<script>alert(1)</script>\n\n**bold**", license: "CC-BY-4.0", sharePercent: "10" });
  await expect(providerPage).toHaveURL(DatasetPage.url, { timeout: 30_000 });
  const published = new DatasetPage(providerPage);
  await expect(published.license).toHaveText("CC-BY-4.0");
  await expect(published.feeShare).toHaveText("10%");
  await expect(published.schema).toContainText("sepal");
  await expect(published.preview).toContainText("short");
  // Markdown renders; the raw HTML in it does not.
  await expect(published.description.locator("strong")).toHaveText("bold");
  await expect(published.description.locator("script")).toHaveCount(0);
  await expect(published.unlist).toBeVisible(); // its provider may unlist it
  const datasetId = new URL(providerPage.url()).pathname.split("/").pop()!;

  const page = await browser.newPage();
  await installInjectedWallet(page, { account: INITIATOR });
  const catalogue = new CataloguePage(page);
  await catalogue.goto();
  await catalogue.search(title);
  await expect(catalogue.rows).toHaveCount(1);
  await expect(catalogue.row(title)).toContainText("CC-BY-4.0");
  await expect(catalogue.row(title)).toContainText("10%");
  await catalogue.row(title).getByRole("link", { name: title }).click();
  const dataset = new DatasetPage(page);
  await expect(dataset.unlist).toHaveCount(0); // not this account's
  await dataset.trainOnIt.click();

  const form = new NewJobPage(page);
  await form.shell.connect();
  await expect(page.getByRole("radio", { name: `${title} (published)` })).toBeChecked({ timeout: 20_000 });
  await expect(form.providerTerms).toContainText("10%");
  await form.set("Rounds R", "2");
  await form.set("Shards S", "2");
  await form.set("Hidden layers (comma-separated)", "8");
  // One CLI worker: one replica per fragment and no spot checks (they need a second owner).
  await form.set("Redundancy k", "1");
  await form.set("Spot-check rate", "0");
  await form.set("Fee (CXT)", "20");
  // The provider's share, before the transaction.
  await expect(form.feeSplit).toContainText("2 CXT");
  await expect(form.feeSplit).toContainText("18 CXT");
  await form.create();
  await expect(page).toHaveURL(JobPage.url, { timeout: 30_000 });
  const job = new JobPage(page);
  await expect(job.statusBadge).toHaveText("active", { timeout: 30_000 });
  const id = new URL(page.url()).pathname.split("/").pop()!;
  const spec = ((await (await page.request.get(`/api/jobs/${id}`)).json()) as { spec: { dataset: { sha256: string; provider: string; feeBps: number } } }).spec;
  const entry = (await (await page.request.get(`/api/datasets/${datasetId}`)).json()) as { sha256: string };
  expect(spec.dataset).toMatchObject({ sha256: entry.sha256, provider: PROVIDER.toLowerCase(), feeBps: 1000 });

  // A node operator's CLI worker (anvil account #2, demo node #2) trains it to completion.
  await withCliWorker({ accountIndex: 2, nodeId: "2" }, info, () => expect(job.statusBadge).toHaveText("completed", { timeout: 240_000 }));

  // Before an epoch holds the job's fee leaves the share accrues (the share of the accepted fragments):
  // 10 % of 20 CXT, nothing claimable, nothing paid.
  const earnings = new EarningsPage(providerPage);
  await earnings.goto();
  await expect(earnings.row(title)).toContainText("10%");
  await expect(earnings.accruing).toHaveText("2 CXT");
  await expect(earnings.claimable).toHaveText("0 CXT");
  await expect(earnings.paid).toHaveText("0 CXT");
  await expect(earnings.claimButton).toHaveText("Nothing to claim");
  await expect(earnings.claimButton).toBeDisabled();

  // A day of chain time: the running closer seals the job's credentials into an epoch whose fee leaves
  // pay the provider its share; past the dev ledger's 60 s challenge window that epoch is final.
  const api = typedApi(page.request);
  await timeTravel(86_401);
  await expect
    .poll(async () => must("fees", await api.GET("/api/jobs/{id}/fees", { params: { path: { id } } })).contributors.find((c) => c.account === PROVIDER.toLowerCase())?.earned, {
      message: "an epoch posts the provider's fee leaf", timeout: 90_000, intervals: [1_000],
    })
    .toBe((2n * 10n ** 18n).toString());
  await timeTravel(61);

  // The exact figure now: claimable from the final epoch's leaf, nothing left accruing.
  await expect(async () => {
    await earnings.goto();
    await expect(earnings.claimable).toHaveText("2 CXT", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(earnings.accruing).toHaveText("0 CXT");
  await expect(earnings.row(title)).toContainText("2 CXT");
  await info.attach("earnings-claimable", { body: await providerPage.screenshot({ fullPage: true }), contentType: "image/png" });

  await expect(earnings.claimButton).toHaveText("Claim 2 CXT");
  await earnings.claimButton.click();
  await expect(earnings.shell.toast(/^Claim 2 CXT provider share of task #\d+/).filter({ hasText: "Confirmed in block" })).toBeVisible({ timeout: 30_000 });
  // Paid from the indexer's mirror once it has the claim's block; nothing offered again meanwhile.
  await expect(earnings.paid).toHaveText("2 CXT", { timeout: 30_000 });
  await expect(earnings.claimable).toHaveText("0 CXT");
  await expect(earnings.accruing).toHaveText("0 CXT");
  await expect(earnings.claimButton).toHaveText("Nothing to claim");
  await expect(earnings.claimButton).toBeDisabled();
  // What TaskManager paid the provider for the task (feePaidTo, read through /api/claims).
  const claims = must("claims", await api.GET("/api/claims/{account}", { params: { path: { account: PROVIDER } } }));
  const taskId = must("job", await api.GET("/api/jobs/{id}", { params: { path: { id } } })).taskId;
  expect(claims.fees.find((f) => f.kind === "fee" && f.taskId === taskId)).toMatchObject({ claimed: (2n * 10n ** 18n).toString(), claimable: "0" });
  const fees = must("fees", await api.GET("/api/jobs/{id}/fees", { params: { path: { id } } }));
  expect(fees.contributors.find((c) => c.account === PROVIDER.toLowerCase())).toMatchObject({ paid: (2n * 10n ** 18n).toString(), owed: "0" });
  await info.attach("earnings-paid", { body: await providerPage.screenshot({ fullPage: true }), contentType: "image/png" });
});
