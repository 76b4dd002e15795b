import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { JobPage } from "./pages/job-page";
import { ModelPage, ModelsPage, type PadPoint } from "./pages/models-page";
import { startCliWorker } from "./support/cli-worker";
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
  const worker = startCliWorker({ accountIndex: 2, nodeId: "2", poc: 0 });
  try {
    await expect(job.statusBadge).toHaveText("completed", { timeout: 180_000 });
  } finally {
    await worker.stop();
    await testInfo.attach("worker.log", { body: worker.output(), contentType: "text/plain" });
  }

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
