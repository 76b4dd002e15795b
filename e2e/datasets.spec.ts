import { expect, test } from "@playwright/test";
import { CataloguePage, DatasetPage, PublishPage } from "./pages/datasets-page";
import { JobPage } from "./pages/job-page";
import { NewJobPage } from "./pages/new-job-page";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";

// Data providers (issue 24): a provider publishes a CSV with a licence and a 10 % share; an initiator
// finds it in the catalogue and creates a job on it, seeing the provider's share before signing.
const csv = ["sepal,petal,width,kind", ...Array.from({ length: 48 }, (_, i) => `${(i % 9) / 2},${i % 4},${(i * 7) % 5},${i % 2 ? "long" : "short"}`)].join("\n");
const title = `Petals ${Date.now().toString(36)}`;

test("a provider publishes a CSV with a licence and a 10% share; an initiator finds it in the catalogue and creates a job on it", async ({ browser }) => {
  const providerPage = await browser.newPage();
  await installInjectedWallet(providerPage, { account: devAccounts[3] });
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
  await providerPage.close();

  const page = await browser.newPage();
  await installInjectedWallet(page, { account: devAccounts[2] });
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
  expect(spec.dataset).toMatchObject({ sha256: entry.sha256, provider: devAccounts[3].toLowerCase(), feeBps: 1000 });
});
