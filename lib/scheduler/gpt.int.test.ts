import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { runIndexer } from "@/lib/indexer/indexer";
import { checkProof, proofRoot, reverifyFragment, type Proof, type TrainingSpec } from "@/lib/protocol";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { loadFragmentRoutes, SimWorker } from "@/test/support/fragment-workers";
import { signInCookie } from "@/test/support/sign-in";

type Scheduler = typeof import("@/lib/scheduler");

// A language-model job through the real system: POST /api/jobs on the built-in names, the chain task,
// the coordinator's rounds, workers over the fragment routes (the CPU reference, as the referee computes),
// a Byzantine worker, aggregation with the validation loss and samples, the proof and the model download.
describe("GPT jobs: a names language model trains through the coordinator (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let chain: ChainCtx;
  let blobDir: string;
  let cookie: string;
  let sch: Scheduler;
  let routes: Awaited<ReturnType<typeof loadFragmentRoutes>>;
  let jobsRoute: typeof import("@/app/api/jobs/route");
  const alice = privateKeyToAccount(generatePrivateKey());
  const store = () => fsBlobStore(blobDir);
  const ctx = () => ({ db: db.prisma, store: store(), chainId: 31337 });

  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });
  const tick = async () => {
    await index();
    return sch.coordinatorTick(ctx(), { rpcUrl: anvil.rpcUrl, taskManager: chain.addr.tasks });
  };
  async function register(owner: PrivateKeyAccount): Promise<bigint> {
    await chain.client.setBalance({ address: owner.address, value: 10n ** 19n });
    const hash = await chain.client.writeContract({ account: owner, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "registerNode", args: [1, "ipfs://worker"] });
    await chain.client.waitForTransactionReceipt({ hash });
    return (await chain.client.readContract({ address: chain.addr.staking, abi: stakingAbi, functionName: "nodeCount" })) as bigint;
  }
  const createJob = (json: Record<string, unknown>) => jobsRoute.POST(req("/api/jobs", { method: "POST", cookie, json }), noCtx);

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    chain = await connectChain(anvil.rpcUrl);
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-gpt-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    sch = await import("@/lib/scheduler");
    routes = await loadFragmentRoutes();
    jobsRoute = await import("@/app/api/jobs/route");
    await chain.client.setBalance({ address: alice.address, value: 10n ** 19n });
    cookie = await signInCookie(alice);
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  // Tiny, so the CPU reference trains it in seconds: 1 block, 2 heads, dim 16, context 8 (≈ 3.9k parameters).
  const MODEL = { kind: "gpt", layers: 1, heads: 2, dim: 16, context: 8 };
  const HYPER = { rounds: 2, shards: 2, localSteps: 12, batch: 8, learningRate: 0.01, outerLearningRate: 1, outerMomentum: 0, seed: 5 };

  it("trains 2 rounds with two honest owners and a Byzantine one: validation loss falls, samples are stored, the cheat is faulted, the proof verifies and a tampered delta fails it", async () => {
    const res = await createJob({ dataset: "names", model: MODEL, hyper: HYPER, redundancy: 2, spotCheckRate: 0 });
    expect(res.status, await res.clone().text()).toBe(201);
    const job = (await res.json()) as { id: string; spec: TrainingSpec; specHash: Hex; fragmentCount: number; workUnits: string };
    const spec = job.spec;
    expect(spec.model).toMatchObject({ kind: "gpt", layers: 1, heads: 2, dim: 16, context: 8, tied: true });
    expect(spec.dataset.vocabulary![0]).toBe("\n");
    expect(spec.model.kind === "gpt" && spec.model.vocab).toBe(spec.dataset.vocabulary!.length);
    expect(spec.hyper.innerOptimizer).toEqual({ kind: "adamw", beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, clipNorm: 1 });
    expect(spec.shards).toHaveLength(2);
    expect(BigInt(job.workUnits)).toBeGreaterThan(0n);

    const owners = Array.from({ length: 3 }, () => privateKeyToAccount(generatePrivateKey()));
    const ids: bigint[] = [];
    for (const o of owners) ids.push(await register(o));
    const hash = await chain.client.writeContract({ account: alice, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "createTask", args: [job.specHash, job.fragmentCount, 0n, 0, "0x0000000000000000000000000000000000000000", 0] });
    await chain.client.waitForTransactionReceipt({ hash });
    await tick();
    expect(await db.prisma.trainingRun.findUnique({ where: { jobId: job.id } })).toMatchObject({ status: "training", round: 0 });
    const slot0 = await db.prisma.fragment.findFirstOrThrow({ where: { jobId: job.id, round: 0 } });
    expect(slot0.workUnits.toFixed()).toBe((BigInt(job.workUnits) / BigInt(job.fragmentCount)).toString());

    // the cheater claims first in every pass; the two honest owners agree with each other and with the referee
    const cheat = new SimWorker(routes, store(), owners[2]!, ids[2]!, "garbage");
    const workers = [cheat, new SimWorker(routes, store(), owners[0]!, ids[0]!), new SimWorker(routes, store(), owners[1]!, ids[1]!)];
    let run = await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId: job.id } });
    for (let pass = 0; pass < 30 && run.status !== "completed"; pass++) {
      for (const w of workers) await w.step(spec);
      await tick();
      run = await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId: job.id } });
    }
    expect(run.status).toBe("completed");
    expect(cheat.submitted).toBeGreaterThan(0);

    const rounds = await db.prisma.round.findMany({ where: { jobId: job.id }, orderBy: { round: "asc" } });
    expect(rounds.map((r) => r.status)).toEqual(["aggregated", "aggregated"]);
    // nats per character: below the uniform guess ln V after one round, and lower after the second
    expect(rounds[0]!.heldOutLoss!).toBeLessThan(Math.log(spec.dataset.vocabulary!.length));
    expect(rounds[1]!.heldOutLoss!).toBeLessThan(rounds[0]!.heldOutLoss!);
    expect(rounds[1]!.heldOutAccuracy).toBeNull();
    expect(rounds[1]!.trainLoss).toBeGreaterThan(0);
    const samples = rounds[1]!.samples as { seed: number; texts: string[] };
    expect(samples.texts).toHaveLength(10);
    for (const t of samples.texts) expect(t).not.toContain("\n");
    // seeded: the coordinator's metrics recompute to the same samples and loss from W_{r+1}
    const { roundMetrics, roundSamples, fillRoundSamples } = await import("./aggregate");
    const { decodeFloat32 } = await import("@/lib/protocol");
    const w2 = decodeFloat32((await store().get(rounds[1]!.nextWeightsSha256!))!);
    expect(roundSamples(spec, 1, w2)!.texts).toEqual(samples.texts);
    expect((await roundMetrics({ store: store() }, spec, w2)).loss).toBe(rounds[1]!.heldOutLoss);
    // Samples are written after the aggregation commits; rounds committed without them (a coordinator
    // that stopped in between) are filled by the next pass with the same seeded texts, once.
    await db.prisma.$executeRaw`UPDATE rounds SET samples = NULL WHERE job_id = ${job.id}::uuid`;
    expect(await fillRoundSamples({ db: db.prisma, store: store() }, { limit: 1 })).toBe(1);
    expect(await fillRoundSamples({ db: db.prisma, store: store() })).toBe(1);
    expect(await fillRoundSamples({ db: db.prisma, store: store() })).toBe(0);
    const refilled = await db.prisma.round.findMany({ where: { jobId: job.id }, orderBy: { round: "asc" } });
    expect(refilled.map((r) => r.samples)).toEqual(rounds.map((r) => r.samples));

    // the Byzantine owner is faulted with evidence, the honest ones are not
    const faults = await sch.listFaults(db.prisma);
    expect(new Set(faults.map((f) => f.owner))).toEqual(new Set([owners[2]!.address.toLowerCase()]));
    expect((faults[0]!.evidence as { inputs: { model: { kind: string } } }).inputs.model.kind).toBe("gpt");

    // the proof re-verifies with the GPT reference; a tampered delta fails it
    const proofRoute = await import("@/app/api/jobs/[id]/proof/route");
    const proof = (await (await proofRoute.GET(req(`/api/jobs/${job.id}/proof`), params({ id: job.id }))).json()) as Proof;
    const fetchBlob = async (h: string) => (await store().get(h))!;
    expect(await checkProof(proof, fetchBlob)).toEqual({ mismatches: [], fragmentsChecked: 4, roundsChecked: 2 });
    expect((await reverifyFragment(proof, 1, 1, fetchBlob)).verified).toBe(true);
    const swapped = structuredClone(proof);
    swapped.rounds[1]!.fragments[1]!.acceptedSha256 = proof.rounds[1]!.fragments[0]!.acceptedSha256;
    const bad = await reverifyFragment(swapped, 1, 1, fetchBlob);
    expect(bad.verified).toBe(false);
    expect(bad.mismatches[0]).toMatch(/fragment 1:1: accepted delta is .* from the reference/);
    expect((await checkProof(swapped, fetchBlob)).mismatches.length).toBeGreaterThan(0);

    // the rounds curve carries the samples; the model downloads as safetensors with its card
    const roundsRoute = await import("@/app/api/jobs/[id]/rounds/route");
    const curve = (await (await roundsRoute.GET(req(`/api/jobs/${job.id}/rounds`), params({ id: job.id }))).json()) as { rounds: { heldOutLoss: number; samples: string[] | null }[] };
    expect(curve.rounds[1]!.samples).toEqual(samples.texts);
    const modelRoute = await import("@/app/api/jobs/[id]/model/route");
    const bytes = new Uint8Array(await (await modelRoute.GET(req(`/api/jobs/${job.id}/model`), params({ id: job.id }))).arrayBuffer());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { shape: number[] }> & { __metadata__: Record<string, string> };
    const v = spec.dataset.vocabulary!.length;
    expect(header.wte!.shape).toEqual([v, 16]);
    expect(header["h0.attn.qkv.w"]!.shape).toEqual([16, 48]);
    expect(header["lnf.b"]!.shape).toEqual([16]);
    expect(JSON.parse(header.__metadata__.vocabulary!)).toEqual(spec.dataset.vocabulary);
    expect(bytes.length).toBe(8 + n + 4 * (v * 16 + 8 * 16 + 12 * 256 + 13 * 16 + 2 * 16));
    const cardRoute = await import("@/app/api/jobs/[id]/model-card/route");
    const card = (await (await cardRoute.GET(req(`/api/jobs/${job.id}/model-card`), params({ id: job.id }))).json()) as Record<string, unknown>;
    expect(card).toMatchObject({ vocabulary: spec.dataset.vocabulary, finalValidationLoss: rounds[1]!.heldOutLoss, proofRoot: proof.proofRoot, architecture: { kind: "gpt", layers: 1 } });
    expect(proof.proofRoot).toBe(proofRoot(proof.specHash, proof.rounds));
  });

  it("refuses bad language-model specs with a 400 naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ dataset: "names", model: { ...MODEL, heads: 3 } }, "model.heads"],
      [{ dataset: "names", model: { ...MODEL, context: 100_000 } }, "model.context"],
      [{ dataset: "names", model: { kind: "gpt", layers: 16, heads: 16, dim: 1024, context: 16 } }, "model"],
      [{ dataset: "iris", model: MODEL }, "dataset"],
      [{ dataset: "names", model: { hidden: [8] } }, "dataset"],
      // ≈ 230 training windows of 257 characters: 256 shards leave some without one
      [{ dataset: "names", model: { ...MODEL, context: 256 }, hyper: { ...HYPER, shards: 256, rounds: 1 } }, "hyper.shards"],
    ];
    for (const [json, field] of cases) {
      const res = await createJob(json);
      const body = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(body.error.code).toBe("validation_failed");
      expect(JSON.stringify(body.error), `${JSON.stringify(json)} → ${JSON.stringify(body)}`).toContain(`"${field}`);
    }
  });
});
