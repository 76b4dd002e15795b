import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { runIndexer } from "@/lib/indexer/indexer";
import { encodeSafetensors, irisConfig, tensorsFor } from "@/lib/models/test-fixtures";
import type { GptConfig } from "@/lib/models/client";
import { decodeClassifications, decodeContinuations, decodePromptShard, isInferenceSpec, referenceInference, specOf, type TrainingSpec } from "@/lib/protocol";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { loadFragmentRoutes, SimWorker, type Strategy } from "@/test/support/fragment-workers";
import { signInCookie } from "@/test/support/sign-in";

type Scheduler = typeof import("@/lib/scheduler");

describe("inference jobs: a registry classifier over a dataset's rows, replicated, verified and completed on chain (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let chain: ChainCtx;
  let blobDir: string;
  let cookie: string;
  let sch: Scheduler;
  let routes: Awaited<ReturnType<typeof loadFragmentRoutes>>;
  let jobsRoute: typeof import("@/app/api/jobs/route");
  let outputsRoute: typeof import("@/app/api/jobs/[id]/outputs/route");
  let modelId: string;
  const alice = privateKeyToAccount(generatePrivateKey());
  const store = () => fsBlobStore(blobDir);
  const ctx = () => ({ db: db.prisma, store: store(), chainId: 31337 });

  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });
  const tick = async () => {
    await index();
    return sch.coordinatorTick(ctx(), { rpcUrl: anvil.rpcUrl, taskManager: chain.addr.tasks });
  };
  async function worker(strategy: Strategy = "honest"): Promise<SimWorker> {
    const owner: PrivateKeyAccount = privateKeyToAccount(generatePrivateKey());
    await chain.client.setBalance({ address: owner.address, value: 10n ** 19n });
    const hash = await chain.client.writeContract({ account: owner, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "registerNode", args: [1, "ipfs://worker"] });
    await chain.client.waitForTransactionReceipt({ hash });
    const id = (await chain.client.readContract({ address: chain.addr.staking, abi: stakingAbi, functionName: "nodeCount" })) as bigint;
    return new SimWorker(routes, store(), owner, id, strategy);
  }
  const post = (json: Record<string, unknown>) => jobsRoute.POST(req("/api/jobs", { method: "POST", cookie, json }), noCtx);
  async function activeJob(extra: Record<string, unknown> = {}): Promise<{ id: string; spec: TrainingSpec; specHash: Hex; fragmentCount: number }> {
    return activate({ kind: "inference", modelId, dataset: "iris", rowsPerFragment: 40, spotCheckRate: 0, ...extra });
  }
  /** Each job's flat weights as created: the coordinator deletes the blob once the job has ended. */
  const weightsAt = new Map<string, Uint8Array>();
  const weightsOf = (spec: TrainingSpec) => weightsAt.get(spec.inference!.weightsSha256)!;
  async function activate(body: Record<string, unknown>): Promise<{ id: string; spec: TrainingSpec; specHash: Hex; fragmentCount: number }> {
    const res = await post(body);
    expect(res.status, await res.clone().text()).toBe(201);
    const j = (await res.json()) as { id: string; spec: TrainingSpec; specHash: Hex; fragmentCount: number };
    weightsAt.set(j.spec.inference!.weightsSha256, (await store().get(j.spec.inference!.weightsSha256))!);
    const hash = await chain.client.writeContract({ account: alice, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "createTask", args: [j.specHash, j.fragmentCount, 0n, 0, "0x0000000000000000000000000000000000000000", 0] });
    await chain.client.waitForTransactionReceipt({ hash });
    await tick();
    return j;
  }
  async function drive(jobId: string, spec: TrainingSpec, workers: SimWorker[], maxPasses = 40) {
    for (let pass = 0; pass < maxPasses; pass++) {
      for (const w of workers) await w.step(spec);
      await tick();
      if ((await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId } })).status === "completed") return;
    }
    throw new Error(`job ${jobId} did not complete in ${maxPasses} passes`);
  }
  const outputs = async (id: string) => {
    const res = await outputsRoute.GET(req(`/api/jobs/${id}/outputs`), params({ id }));
    return { res, text: await res.text() };
  };
  /** The CSV the CPU reference gives for the first `rows` rows of the job (its shards in order). */
  async function referenceCsv(spec: TrainingSpec, shards = spec.shards.length): Promise<string> {
    if (!isInferenceSpec(spec)) throw new Error("not an inference spec");
    const weights = weightsOf(spec);
    let csv = `row,class,p_0,p_1,p_2\n`;
    let row = 0;
    for (const s of spec.shards.slice(0, shards)) {
      for (const r of decodeClassifications(referenceInference(spec, weights, (await store().get(s.sha256))!), 3)) csv += `${row++},${r.cls},${Array.from(r.probabilities).join(",")}\n`;
    }
    return csv;
  }

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    chain = await connectChain(anvil.rpcUrl);
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-inference-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    sch = await import("@/lib/scheduler");
    routes = await loadFragmentRoutes();
    jobsRoute = await import("@/app/api/jobs/route");
    outputsRoute = await import("@/app/api/jobs/[id]/outputs/route");
    await chain.client.setBalance({ address: alice.address, value: 10n ** 19n });
    cookie = await signInCookie(alice);
    const { saveUploadedModel } = await import("@/lib/models");
    const bytes = encodeSafetensors(tensorsFor(irisConfig, (i) => Math.sin(i * 1.7) * 0.8));
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    modelId = (await saveUploadedModel(ctx(), alice.address, { config: irisConfig, name: "iris", fileName: "iris.safetensors", bytes, sha256, size: bytes.length })).id;
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  it("completes with outputs equal to the CPU reference's; accepted fragments become `inference` credentials", async () => {
    const job = await activeJob();
    const spec = specOf(job);
    expect(job.fragmentCount).toBe(4); // 150 rows in 40s
    expect(spec.inference).toMatchObject({ modelId, rows: 150, rowsPerFragment: 40 });
    const workers = [await worker(), await worker()];
    await index();
    await drive(job.id, spec, workers);
    await tick(); // the mirror sees TaskCompleted
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("completed");
    const { res, text } = await outputs(job.id);
    expect(res.headers.get("x-corex-complete")).toBe("true");
    expect(res.headers.get("x-corex-rows")).toBe("150");
    expect(text).toBe(await referenceCsv(spec));
    // The on-chain result hash is the sha-256 of exactly these bytes.
    const run = await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId: job.id } });
    expect(run.finalWeightsSha256).toBe(createHash("sha256").update(text).digest("hex"));
    const contributions = (await sch.listContributions(db.prisma, { since: new Date(0), until: new Date(Date.now() + 1000) })).filter((c) => c.jobId === job.id);
    expect(contributions).toHaveLength(8);
    expect(new Set(contributions.map((c) => c.kind))).toEqual(new Set(["inference"]));
    // The last fragment holds 30 rows: its work units are the forward pass over 30 rows, not 40.
    const fragments = await db.prisma.fragment.findMany({ where: { jobId: job.id }, orderBy: { shard: "asc" } });
    expect(Number(fragments[3]!.workUnits.toFixed()) / Number(fragments[0]!.workUnits.toFixed())).toBeCloseTo(30 / 40, 6);
    // No model is published from an inference job.
    const { listModels, modelsCtx } = await import("@/lib/models");
    expect((await listModels(modelsCtx(), { page: 1, limit: 50 })).total).toBe(1);
  });

  it("faults a worker that flips one class; the CPU referee decides and the job still completes with the reference's outputs", async () => {
    const job = await activeJob({ seed: 3 });
    const spec = specOf(job);
    const flipper = await worker("flip");
    const workers = [flipper, await worker(), await worker()];
    await index();
    await drive(job.id, spec, workers);
    const faults = await db.prisma.fault.findMany({ where: { jobId: job.id } });
    expect(faults.length).toBeGreaterThan(0);
    expect(new Set(faults.map((f) => f.nodeId))).toEqual(new Set([flipper.nodeId]));
    expect(faults[0]!.reason).toBe("disagrees_with_reference");
    expect((await outputs(job.id)).text).toBe(await referenceCsv(spec));
  });

  it("streams only accepted fragments' rows while the job runs", async () => {
    const job = await activeJob({ seed: 4 });
    const spec = specOf(job);
    const workers = [await worker(), await worker()];
    await index();
    // Claims hand out every fragment's first replica before any second one: the first worker takes all
    // four first replicas, the second one second replica — one fragment has both and is accepted.
    await workers[0]!.step(spec, { max: 4 });
    await workers[1]!.step(spec, { max: 1 });
    await tick();
    const accepted = await db.prisma.fragment.findMany({ where: { jobId: job.id, status: "accepted" }, select: { shard: true } });
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.length).toBeLessThan(4);
    const { res, text } = await outputs(job.id);
    expect(res.headers.get("x-corex-complete")).toBe("false");
    const rows = text.trim().split("\n").slice(1).map((l) => Number(l.split(",")[0]));
    const want = accepted.flatMap((f) => Array.from({ length: spec.shards[f.shard]!.rows }, (_, i) => f.shard * 40 + i)).sort((a, b) => a - b);
    expect(rows).toEqual(want);
    expect(res.headers.get("x-corex-rows")).toBe(String(want.length));
  });

  it("refuses an unknown model and a dataset whose columns are not the model's inputs (400, nothing stored)", async () => {
    // The built-in is written on first use, by any request: do that first, so what follows is the refusals alone.
    const { ensureBuiltinDataset } = await import("@/lib/datasets");
    await ensureBuiltinDataset(db.prisma, store(), "mnist");
    const jobsBefore = await db.prisma.job.count();
    const blobsBefore = (await readdir(blobDir, { recursive: true })).length;
    const unknown = await post({ kind: "inference", modelId: "00000000-0000-4000-8000-00000000abcd", dataset: "iris" });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/modelId: no model/);
    const columns = await post({ kind: "inference", modelId, dataset: "mnist" });
    expect(columns.status).toBe(400);
    expect(((await columns.json()) as { error: { message: string } }).error.message).toMatch(/dataset: "mnist" has 784 feature columns; the model takes 4 inputs/);
    const field = await post({ kind: "inference", modelId, dataset: "iris", hyper: { rounds: 2 } });
    expect(field.status).toBe(400);
    expect(await db.prisma.job.count()).toBe(jobsBefore);
    expect((await readdir(blobDir, { recursive: true })).length).toBe(blobsBefore);
  });
  describe("language models: a prompts file, greedy continuations, JSON Lines", () => {
    // Characters a–f and space; context 8 holds prompts of up to 7 characters after the boundary.
    const gptConfig: GptConfig = { kind: "gpt", layers: 1, heads: 2, dim: 8, context: 8, vocab: 8, tied: true, vocabulary: ["\n", "a", "b", "c", "d", "e", "f", " "] };
    const prompts = "ab\ncafe\n\nbad\nfeed\n"; // five prompts, the third empty
    let gptId: string;
    let gptModelSha: string;
    const gptJob = (extra: Record<string, unknown> = {}) => activate({ kind: "inference", modelId: gptId, prompts, maxTokens: 12, rowsPerFragment: 2, spotCheckRate: 0, ...extra });
    /** The JSON lines the CPU reference gives for the job's prompts (its shards in order). */
    async function referenceJsonl(spec: TrainingSpec): Promise<string> {
      if (!isInferenceSpec(spec)) throw new Error("not an inference spec");
      const weights = weightsOf(spec);
      const text = (ids: ArrayLike<number>) => Array.from(ids, (i) => gptConfig.vocabulary[i]).join("");
      let out = "";
      let row = 0;
      for (const s of spec.shards) {
        const bytes = (await store().get(s.sha256))!;
        const shard = decodePromptShard(bytes);
        for (const [i, tokens] of decodeContinuations(referenceInference(spec, weights, bytes), 12).entries()) {
          out += JSON.stringify({ row, prompt: text(shard.prompts[i]!), tokens, continuation: text(tokens), end: tokens.length < 12 ? "boundary" : "maxTokens" }) + "\n";
          row++;
        }
      }
      return out;
    }

    beforeAll(async () => {
      const { saveUploadedModel } = await import("@/lib/models");
      // Scattered weights, the boundary's embedding row (wte[0], the first dim values) zero: its logit is 0 and
      // another token's is usually higher, so prompts get real continuations rather than stopping at once.
      const bytes = encodeSafetensors(tensorsFor(gptConfig, (i) => (i < gptConfig.dim ? 0 : ((Math.sin(i * 12.9898) * 43758.5453) % 1) * 0.9)));
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      gptModelSha = sha256;
      // The classifier suite leaves its partial-outputs job active: retire it (its slots close on the next
      // tick), so the workers below claim only this suite's fragments.
      await db.prisma.job.updateMany({ where: { status: "active" }, data: { status: "failed" } });
      await tick();
      gptId = (await saveUploadedModel(ctx(), alice.address, { config: gptConfig, name: "tiny gpt", fileName: "gpt.safetensors", bytes, sha256, size: bytes.length })).id;
    });

    it("completes with the reference's continuations as JSON Lines; the prompts come back as written", async () => {
      const job = await gptJob();
      const spec = specOf(job);
      expect(job.fragmentCount).toBe(3); // 5 prompts in 2s
      expect(spec.inference).toMatchObject({ modelId: gptId, output: "tokens", maxTokens: 12, rows: 5 });
      const workers = [await worker(), await worker()];
      await index();
      await drive(job.id, spec, workers);
      // The job's flat weights blob goes once the job has ended (the mirror sees TaskCompleted), and nothing else does.
      const before = await readdir(blobDir, { recursive: true });
      const weights = spec.inference!.weightsSha256;
      expect(before.some((f) => f.endsWith(weights))).toBe(true);
      expect((await tick()).collectedWeights).toEqual([weights]);
      expect((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("completed");
      const after = await readdir(blobDir, { recursive: true });
      expect(before.filter((f) => !after.includes(f)).filter((f) => /[0-9a-f]{64}$/.test(f))).toEqual(before.filter((f) => f.endsWith(weights)));
      expect(await store().has(gptModelSha)).toBe(true);
      const { res, text } = await outputs(job.id);
      expect(res.headers.get("content-type")).toMatch(/ndjson/);
      expect(res.headers.get("x-corex-complete")).toBe("true");
      expect(text).toBe(await referenceJsonl(spec));
      const lines = text.trim().split("\n").map((l) => JSON.parse(l) as { row: number; prompt: string; tokens: number[] });
      expect(lines.map((l) => l.prompt)).toEqual(["ab", "cafe", "", "bad", "feed"]);
      // Something was generated (a model that only drew the boundary would make this test vacuous).
      expect(lines.every((l) => l.tokens.length > 0)).toBe(true);
      expect(new Set(lines.flatMap((l) => l.tokens)).size).toBeGreaterThan(2);
      const run = await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId: job.id } });
      expect(run.finalWeightsSha256).toBe(createHash("sha256").update(text).digest("hex"));
      const contributions = (await sch.listContributions(db.prisma, { since: new Date(0), until: new Date(Date.now() + 1000) })).filter((c) => c.jobId === job.id);
      expect(new Set(contributions.map((c) => c.kind))).toEqual(new Set(["inference"]));
    });

    it("faults a worker that flips one token; the referee's tokens win", async () => {
      const job = await gptJob({ seed: 7 });
      const spec = specOf(job);
      const flipper = await worker("flip");
      const workers = [flipper, await worker(), await worker()];
      await index();
      await drive(job.id, spec, workers);
      const faults = await db.prisma.fault.findMany({ where: { jobId: job.id } });
      expect(faults.length).toBeGreaterThan(0);
      expect(new Set(faults.map((f) => f.nodeId))).toEqual(new Set([flipper.nodeId]));
      expect((await outputs(job.id)).text).toBe(await referenceJsonl(spec));
    });

    it("streams only accepted fragments' prompts while the job runs", async () => {
      const job = await gptJob({ seed: 8 });
      const spec = specOf(job);
      const workers = [await worker(), await worker()];
      await index();
      await workers[0]!.step(spec, { max: 3 });
      await workers[1]!.step(spec, { max: 1 });
      await tick();
      const accepted = await db.prisma.fragment.findMany({ where: { jobId: job.id, status: "accepted" }, select: { shard: true } });
      expect(accepted.length).toBeGreaterThan(0);
      expect(accepted.length).toBeLessThan(3);
      const { res, text } = await outputs(job.id);
      expect(res.headers.get("x-corex-complete")).toBe("false");
      const rows = text.trim().split("\n").map((l) => (JSON.parse(l) as { row: number }).row);
      expect(rows).toEqual(accepted.flatMap((f) => Array.from({ length: spec.shards[f.shard]!.rows }, (_, i) => f.shard * 2 + i)).sort((a, b) => a - b));
    });

    it("refuses an empty prompts file, a prompt over the context, an unknown character and mixed-up inputs (400 naming the problem, nothing stored)", async () => {
      const counts = async () => ({ jobs: await db.prisma.job.count(), datasets: await db.prisma.dataset.count(), blobs: (await readdir(blobDir, { recursive: true })).length });
      const before = await counts();
      const refused = async (body: Record<string, unknown>, message: RegExp) => {
        const res = await post({ kind: "inference", ...body });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
      };
      await refused({ modelId: gptId, prompts: "" }, /prompts: the prompts file holds no prompts/);
      await refused({ modelId: gptId, prompts: "\n\n" }, /prompts: the prompts file holds no prompts/);
      await refused({ modelId: gptId, prompts: "ab\nabcdefab\n" }, /prompts: line 2 is 8 tokens; the model's context \(8\) holds at most 7/);
      await refused({ modelId: gptId, prompts: "ab\ncaXe" }, /prompts: line 2: character "X" \(position 3\) is not in the model's vocabulary/);
      await refused({ modelId: gptId, dataset: "iris" }, /dataset: model .* is a language model/);
      await refused({ modelId, dataset: "iris", prompts: "ab" }, /prompts: model .* is a classifier/);
      await refused({ modelId, prompts: "ab" }, /prompts: model .* is a classifier/);
      expect(await counts()).toEqual(before);
    });

    it("an expired job's weights blob goes with it unless a live job still names it", async () => {
      const { expireStaleJobs } = await import("@/lib/jobs");
      // A job with no chain task, while the partial-outputs job above (the same model) is still active.
      const res = await post({ kind: "inference", modelId: gptId, prompts: "fade\n", maxTokens: 3 });
      expect(res.status).toBe(201);
      const { id, spec } = (await res.json()) as { id: string; spec: TrainingSpec };
      const weights = spec.inference!.weightsSha256;
      const first = await expireStaleJobs(ctx(), { ttlMs: 0, now: new Date(Date.now() + 1000) });
      expect(first.expired).toEqual([id]);
      expect(first.deletedBlobs).toEqual([spec.shards[0]!.sha256]); // its own shard; the empty held-out shard is shared
      expect(await store().has(weights)).toBe(true);
      // Once no live job names the weights, the next job to expire takes them.
      await db.prisma.job.updateMany({ where: { status: "active", spec: { path: ["inference", "weightsSha256"], equals: weights } }, data: { status: "failed" } });
      const again = await post({ kind: "inference", modelId: gptId, prompts: "dab\n", maxTokens: 3 });
      const second = await expireStaleJobs(ctx(), { ttlMs: 0, now: new Date(Date.now() + 1000) });
      expect(second.expired).toEqual([((await again.json()) as { id: string }).id]);
      expect(second.deletedBlobs).toContain(weights);
      expect(await store().has(weights)).toBe(false);
      expect(await store().has(gptModelSha)).toBe(true);
    });
  });
});
