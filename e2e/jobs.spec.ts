import { expect, test } from "@playwright/test";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";
import { JobPage } from "./pages/job-page";
import { NewJobPage } from "./pages/new-job-page";
import type { TrainingSpec } from "@/lib/protocol";
import { must, typedApi } from "./support/api";

const csv = ["x1,x2,x3,kind", ...Array.from({ length: 60 }, (_, i) => `${(i % 7) / 3},${i % 5},${(i * 13) % 11},${i % 3 === 0 ? "red" : "blue"}`)].join("\n");

test("a user connects, signs in, uploads a CSV, creates a job, sends createTask and sees the job become active", async ({ page }) => {
  await installInjectedWallet(page, { account: devAccounts[2] });
  const form = new NewJobPage(page);
  await form.goto();
  await form.shell.connect();
  await expect(form.shell.accountButton(devAccounts[2])).toBeVisible();
  // The session cookie is the server's: the API knows who signed in.
  expect((await (await page.request.get("/api/auth/session")).json()).address).toBe(devAccounts[2]);

  await form.dropCsv("colours.csv", csv, "kind");
  await expect(form.preview).toContainText("x1");
  await expect(page.getByText("Detected columns: x1, x2, x3, kind")).toBeVisible();
  await expect(form.scaling).toHaveValue("per-feature"); // tabular columns: each scaled on its own
  await form.upload();
  await expect(form.uploaded).toContainText("60 rows, 3 features, 2 classes");

  await form.set("Rounds R", "2");
  await form.set("Shards S", "3");
  await form.set("Hidden layers (comma-separated)", "8");
  await form.create();

  await expect(page).toHaveURL(JobPage.url, { timeout: 30_000 });
  const job = new JobPage(page);
  await expect(job.statusBadge).toHaveText("active", { timeout: 30_000 });
  await expect(page.getByText(/· task #\d+/)).toBeVisible(); // the header line (the folded spec hash names the task too)
});

test("a CSV of pixels is offered one scale for all columns, and the job's spec records the creator's choice", async ({ page }) => {
  await installInjectedWallet(page, { account: devAccounts[2] });
  const form = new NewJobPage(page);
  await form.goto();
  await form.shell.connect();
  const pixels = Array.from({ length: 16 }, (_, i) => `p${i}`);
  const image = [[...pixels, "digit"].join(","), ...Array.from({ length: 40 }, (_, r) => [...pixels.map((_, i) => ((r * 7 + i * 31) % 256).toString()), r % 2 ? "one" : "seven"].join(","))].join("\n");
  await form.dropCsv("digits.csv", image, "digit");
  await expect(form.scaling).toHaveValue("global");
  await expect(page.getByText("One mean and standard deviation over every value")).toBeVisible();
  // The creator has the last word.
  await form.scaling.selectOption("per-feature");
  await form.scaling.selectOption("global");
  await form.upload();
  await expect(form.uploaded).toContainText("40 rows, 16 features, 2 classes");
  await form.set("Rounds R", "1");
  await form.set("Shards S", "2");
  await form.create();
  await expect(page).toHaveURL(JobPage.url, { timeout: 30_000 });
  const id = new URL(page.url()).pathname.split("/").pop()!;
  // The spec is the canonical JSON the schema leaves open (`unknown`): lib/protocol types it.
  const spec = must("job", await typedApi(page.request).GET("/api/jobs/{id}", { params: { path: { id } } })).spec as TrainingSpec;
  expect(spec.dataset.normalisation).toBe("global");
  expect(new Set(spec.dataset.mean).size).toBe(1);
});

test("a bad CSV is refused inline with the line and column, and a bad hyper-parameter names its field", async ({ page }) => {
  await installInjectedWallet(page, { account: devAccounts[2] });
  const form = new NewJobPage(page);
  await form.goto();
  await form.shell.connect();
  await form.dropCsv("bad.csv", "a,b,kind\n1,2,x\n3,oops,y\n", "kind");
  await form.upload();
  await expect(page.getByRole("alert").filter({ hasText: "line 3, column 2" })).toBeVisible();

  await page.getByLabel("Iris (built-in)").check();
  await form.set("Rounds R", "0");
  await form.create();
  await expect(page.getByRole("alert").filter({ hasText: "Rounds R must be at least 1." }).first()).toBeVisible();
});

test("the demo MNIST job seeded by npm run dev is active, bound to its on-chain task", async ({ request }) => {
  await expect(async () => {
    const { jobs } = must("jobs", await typedApi(request).GET("/api/jobs", { params: { query: { status: "active" } } }));
    expect(jobs.find((j) => j.datasetName === "mnist")).toMatchObject({ fragmentCount: 40, taskId: "1" });
  }).toPass({ timeout: 20_000 });
});
