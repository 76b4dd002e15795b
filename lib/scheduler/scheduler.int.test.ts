import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { delegationDomain, delegationTypes } from "@/lib/auth/delegation";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { runIndexer } from "@/lib/indexer/indexer";
import { checkProof, encodeFloat32, reverifyFragment, type Proof, type TrainingSpec } from "@/lib/protocol";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { lastHonest, loadFragmentRoutes, resultRequest, sha256, signResult, SimWorker, workerAuth, type Strategy } from "@/test/support/fragment-workers";
import { signInCookie } from "@/test/support/sign-in";

type Scheduler = typeof import("@/lib/scheduler");

describe("fragments: leases, signed results, verification, aggregation, proof (Postgres + anvil, workers over the route handlers)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let chain: ChainCtx;
  let blobDir: string;
  let cookie: string;
  let sch: Scheduler;
  let routes: Awaited<ReturnType<typeof loadFragmentRoutes>>;
  let jobsRoute: typeof import("@/app/api/jobs/route");
  let proofRoute: typeof import("@/app/api/jobs/[id]/proof/route");
  const alice = privateKeyToAccount(generatePrivateKey());
  const store = () => fsBlobStore(blobDir);
  const ctx = () => ({ db: db.prisma, store: store(), chainId: 31337 });
  const nodes = new Map<string, bigint[]>();
  const accounts = new Map<string, PrivateKeyAccount>();

  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });
  const tick = async (opts: import("./verify").VerificationOptions = {}) => {
    await index();
    return sch.coordinatorTick(ctx(), { rpcUrl: anvil.rpcUrl, taskManager: chain.addr.tasks }, opts);
  };
  async function register(owner: PrivateKeyAccount, count = 1): Promise<bigint[]> {
    await chain.client.setBalance({ address: owner.address, value: 10n ** 19n });
    const ids: bigint[] = [];
    for (let i = 0; i < count; i++) {
      const hash = await chain.client.writeContract({ account: owner, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "registerNode", args: [1, "ipfs://worker"] });
      await chain.client.waitForTransactionReceipt({ hash });
      ids.push((await chain.client.readContract({ address: chain.addr.staking, abi: stakingAbi, functionName: "nodeCount" })) as bigint);
    }
    nodes.set(owner.address, ids);
    accounts.set(owner.address.toLowerCase(), owner);
    return ids;
  }
  async function activeJob(hyper: Record<string, number>, extra: Record<string, unknown> = {}): Promise<{ id: string; spec: TrainingSpec; specHash: Hex }> {
    const res = await jobsRoute.POST(req("/api/jobs", { method: "POST", cookie, json: { dataset: "iris", model: { hidden: [8], activation: "tanh" }, hyper, spotCheckRate: 0, ...extra } }), noCtx);
    expect(res.status).toBe(201);
    const j = (await res.json()) as { id: string; spec: TrainingSpec; specHash: Hex; fragmentCount: number };
    const hash = await chain.client.writeContract({ account: alice, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "createTask", args: [j.specHash, j.fragmentCount, 0n, Number(extra.minTier ?? 0), "0x0000000000000000000000000000000000000000", 0] });
    await chain.client.waitForTransactionReceipt({ hash });
    await tick();
    expect(await db.prisma.trainingRun.findUnique({ where: { jobId: j.id } })).toMatchObject({ status: "training", round: 0 });
    return j;
  }
  async function drive(job: { id: string; spec: TrainingSpec }, workers: SimWorker[], maxPasses = 80, opts: import("./verify").VerificationOptions = {}) {
    const weights = new Map<number, string>();
    for (let pass = 0; pass < maxPasses; pass++) {
      for (const r of await db.prisma.round.findMany({ where: { jobId: job.id } })) weights.set(r.round, r.weightsSha256);
      for (const w of workers) await w.step(job.spec, { staleWeights: (r) => weights.get(r) });
      await tick(opts);
      const run = await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId: job.id } });
      if (run.status === "completed") return run;
    }
    throw new Error(`job ${job.id} did not complete in ${maxPasses} passes`);
  }
  const proofOf = async (id: string) => (await (await proofRoute.GET(req(`/api/jobs/${id}/proof`), params({ id }))).json()) as Proof;
  const fetchBlob = async (h: string) => (await store().get(h))!;

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    chain = await connectChain(anvil.rpcUrl);
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-fragments-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    sch = await import("@/lib/scheduler");
    routes = await loadFragmentRoutes();
    jobsRoute = await import("@/app/api/jobs/route");
    proofRoute = await import("@/app/api/jobs/[id]/proof/route");
    await chain.client.setBalance({ address: alice.address, value: 10n ** 19n });
    cookie = await signInCookie(alice);
  });
  // Every test starts from a quiet network, whichever tests ran before it (each must pass alone, with
  // -t): no other test's job is active (its open slots would take this test's claims) and no other
  // test's node is active (it could take this test's spot checks, or be counted as a possible verifier).
  beforeEach(async () => {
    await db.prisma.job.updateMany({ where: { status: "active" }, data: { status: "failed" } });
    for (const n of await db.prisma.node.findMany({ where: { chainId: 31337, active: true } })) {
      const owner = accounts.get(n.owner.toLowerCase());
      if (!owner) continue;
      const hash = await chain.client.writeContract({ account: owner, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "deactivateNode", args: [n.nodeId] });
      await chain.client.waitForTransactionReceipt({ hash });
    }
    await index();
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  const IRIS = { rounds: 3, shards: 3, localSteps: 20, batch: 16, learningRate: 0.1, seed: 7 };

  // beforeEach leaves these two owners the only active nodes, so nobody else could take a spot check.
  it("runs spot checks no other owner can take with the CPU reference, so a two-owner network still trains", async () => {
    const [a, b, c] = Array.from({ length: 3 }, () => privateKeyToAccount(generatePrivateKey()));
    for (const o of [a!, b!]) await register(o);
    await index();
    const workers = [a!, b!].map((o) => new SimWorker(routes, store(), o, nodes.get(o.address)![0]!, "honest"));
    const hyper = { ...IRIS, rounds: 2, shards: 2 };
    const verifySlots = (jobId: string) => db.prisma.replicaSlot.findMany({ where: { jobId, kind: "verify" } });

    // Both owners hold a replica of every fragment: no node could take the spot checks, so the
    // reference runs them at once (the default wait is 300 s).
    const first = await activeJob(hyper, { spotCheckRate: 1 });
    await drive(first, workers, 40);
    expect((await verifySlots(first.id)).map((v) => v.state)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    const fragments = await db.prisma.fragment.findMany({ where: { jobId: first.id } });
    for (const f of fragments) expect(f.referenceSha256).toBe(f.acceptedSha256); // honest work: identical bytes
    expect(await db.prisma.fault.count({ where: { jobId: first.id } })).toBe(0);

    // A third owner's node exists but does not work: the spot check waits for it …
    await register(c!);
    const second = await activeJob(hyper, { spotCheckRate: 1 });
    for (let pass = 0; pass < 6; pass++) {
      for (const w of workers) await w.step(second.spec);
      const report = await tick();
      expect(report.verification.spotChecksRefereed).toBe(0);
    }
    expect((await verifySlots(second.id)).map((v) => v.state)).toEqual(["open", "open"]);
    expect((await db.prisma.round.findFirstOrThrow({ where: { jobId: second.id, round: 0 } })).status).toBe("open");
    // … until the wait is over; then the reference runs it and training goes on.
    expect((await tick({ spotCheckWaitMs: 0 })).verification.spotChecksRefereed).toBe(2);
    const run = await drive(second, workers, 40, { spotCheckWaitMs: 0 });
    expect(run.status).toBe("completed");
    expect(await db.prisma.fault.count({ where: { jobId: second.id } })).toBe(0);

  });

  // The honest Iris run, trained once: its own test asserts on it, and the Byzantine test compares its
  // final model with it (run alone, that test trains it first).
  let honestRun: Promise<Awaited<ReturnType<typeof trainHonest>>> | undefined;
  const honest = () => (honestRun ??= trainHonest());
  async function trainHonest() {
    const owners = Array.from({ length: 4 }, () => privateKeyToAccount(generatePrivateKey()));
    for (const o of owners) await register(o);
    await index();
    // owner 0 works through a delegated session key
    const key = privateKeyToAccount(generatePrivateKey());
    const node0 = nodes.get(owners[0]!.address)![0]!;
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const delegation = await owners[0]!.signTypedData({ domain: delegationDomain(31337), types: delegationTypes, primaryType: "SessionKeyDelegation", message: { sessionKey: key.address, nodeId: node0, expiresAt: BigInt(expiresAt) } });
    const skRoute = await import("@/app/api/auth/session-keys/route");
    const reg = await skRoute.POST(req("/api/auth/session-keys", { method: "POST", cookie: await signInCookie(owners[0]!), json: { sessionKey: key.address, nodeId: node0.toString(), expiresAt, signature: delegation } }), noCtx);
    expect(reg.status).toBe(201);

    const job = await activeJob(IRIS);
    const workers = owners.map((o, i) => new SimWorker(routes, store(), o, nodes.get(o.address)![0]!, "honest", i === 0 ? key : o));
    const run = await drive(job, workers);
    const rounds = await db.prisma.round.findMany({ where: { jobId: job.id }, orderBy: { round: "asc" } });
    return { owners, job, workers, run, rounds, final: run.finalWeightsSha256!, accuracy: rounds[2]!.heldOutAccuracy! };
  }

  it("trains a whole Iris job (3 rounds, k = 2) with honest workers, one on a session key; it converges, completes on chain and its proof re-verifies", async () => {
    const { owners, job, workers, run, rounds, final: honestFinal, accuracy: honestAccuracy } = await honest();
    expect(run.finalWeightsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(workers[0]!.submitted).toBeGreaterThan(0);

    expect(rounds.map((r) => r.status)).toEqual(["aggregated", "aggregated", "aggregated"]);
    expect(rounds[2]!.heldOutLoss!).toBeLessThan(rounds[0]!.heldOutLoss!);
    expect(rounds[2]!.heldOutAccuracy!).toBeGreaterThanOrEqual(0.7);
    for (let r = 1; r < 3; r++) expect(rounds[r]!.weightsSha256).toBe(rounds[r - 1]!.nextWeightsSha256);

    // on chain: completed with the final weights hash (the mirror follows, and so does the job)
    const task = (await chain.client.readContract({ address: chain.addr.tasks, abi: taskManagerAbi, functionName: "getTask", args: [BigInt((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).taskId!)] })) as { status: number; resultHash: Hex };
    expect(task.status).toBe(2);
    expect(task.resultHash).toBe(`0x${honestFinal}`);
    await tick();
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("completed");

    const proof = await proofOf(job.id);
    expect(proof.rounds).toHaveLength(3);
    expect(proof.redundancy.overhead).toBe(2);
    const check = await checkProof(proof, fetchBlob);
    expect(check).toEqual({ mismatches: [], fragmentsChecked: 9, roundsChecked: 3 });
    // the job page's tail of the chain: the same records of the newest two rounds, and nothing older
    const tail = JSON.parse(JSON.stringify(await sch.jobProof(db.prisma, job.id, { lastRounds: 2 }))) as Proof;
    expect(tail.rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(tail.rounds).toEqual(proof.rounds.slice(1));
    // positive control: a tampered record fails
    const tampered = structuredClone(proof);
    tampered.rounds[1]!.acceptedResults[0]!.deltaSha256 = tampered.rounds[1]!.acceptedResults[1]!.deltaSha256;
    expect((await checkProof(tampered, fetchBlob, { fragments: [] })).mismatches.length).toBeGreaterThan(0);

    // the job page's "Re-verify in my browser": one fragment, the same check, with its stages
    const stages: string[] = [];
    const one = await reverifyFragment(proof, 1, 2, fetchBlob, (s) => stages.push(s));
    expect(one).toMatchObject({ verified: true, mismatches: [], acceptedSha256: proof.rounds[1]!.fragments[2]!.acceptedSha256 });
    expect(one.relativeL2).toBeLessThanOrEqual(one.tolerance);
    expect(stages).toEqual(["inputs", "recompute", "compare"]);
    // another fragment's (valid, hash-correct) delta in its place is caught by the recomputation
    const swapped = structuredClone(proof);
    swapped.rounds[1]!.fragments[2]!.acceptedSha256 = proof.rounds[1]!.fragments[0]!.acceptedSha256;
    const bad = await reverifyFragment(swapped, 1, 2, fetchBlob);
    expect(bad.verified).toBe(false);
    expect(bad.mismatches[0]).toMatch(/fragment 1:2: accepted delta is .* from the reference/);
    // and a fragment claiming another round's W_r as its input
    const rewired = structuredClone(proof);
    rewired.rounds[1]!.fragments[2]!.weightsSha256 = proof.rounds[0]!.weightsSha256;
    expect((await reverifyFragment(rewired, 1, 2, fetchBlob)).mismatches.some((m) => m.includes("are not round 1's W_r"))).toBe(true);

    // npm run verify-proof against the public API (route handlers behind a plain HTTP server)
    const blobsRoute = await import("@/app/api/blobs/[sha256]/route");
    const server = http.createServer(async (rq, rs) => {
      const url = rq.url ?? "/";
      const m = /^\/api\/jobs\/([^/]+)\/proof$/.exec(url) ?? /^\/api\/blobs\/([0-9a-f]{64})$/.exec(url);
      const res = !m ? new Response("not found", { status: 404 }) : url.startsWith("/api/jobs") ? await proofRoute.GET(req(url), params({ id: m[1]! })) : await blobsRoute.GET(req(url), params({ sha256: m[1]! }));
      rs.writeHead(res.status, { "content-type": res.headers.get("content-type") ?? "application/octet-stream" });
      rs.end(Buffer.from(await res.arrayBuffer()));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const { main: verifyProof } = await import("@/scripts/verify-proof");
    try {
      expect(await verifyProof(["--api", api, "--job", job.id, "--all"])).toBe(0);
      expect(await verifyProof(["--api", api, "--job", job.id, "--fragment", "1:2"])).toBe(0);
    } finally {
      server.close();
    }

    // contributions for the epochs engineer: every accepted result, with work units
    const contributions = await sch.listContributions(db.prisma, { since: new Date(0), until: new Date(Date.now() + 1000) });
    expect(contributions.filter((c) => c.jobId === job.id)).toHaveLength(18);
    expect(await db.prisma.fault.count({ where: { jobId: job.id } })).toBe(0);
    // …which the epochs loop turns into credentials, once each however often it looks again
    const { ingestContributions } = await import("@/lib/epochs");
    const credentialsOfJob = () => db.prisma.credential.findMany({ where: { jobId: job.id } });
    await ingestContributions(db.prisma, 31337, new Date(0));
    await ingestContributions(db.prisma, 31337, new Date(0));
    const creds = await credentialsOfJob();
    expect(creds).toHaveLength(18);
    expect(creds.every((c) => c.epoch === null && c.role === "compute")).toBe(true);
    expect(creds.reduce((a, c) => a + BigInt(c.workUnits.toFixed()), 0n)).toBe(contributions.filter((c) => c.jobId === job.id).reduce((a, c) => a + c.workUnits, 0n));
    // the task fee leaves those credentials earn (lib/epochs computeFees): pro rata to accepted work, the whole fee for the whole job
    const { computeFees, parseCredentialLeaf } = await import("@/lib/epochs/rules");
    const asLeaves = creds.map((c) => parseCredentialLeaf([c.id, "1", c.nodeId.toString(), c.owner, c.jobId, c.fragmentId, c.resultHash, c.workUnits.toFixed(), c.role]));
    const feeTask = { fee: 1_000_003n, fragmentCount: new Set(creds.map((c) => c.fragmentId)).size, creator: "0x00000000000000000000000000000000000000c0", provider: null, providerFeeBps: 0, closed: false };
    const { leaves } = computeFees({ credentials: asLeaves, jobs: new Map([[job.id, 1n]]), tasks: new Map([[1n, feeTask]]), previous: [] });
    expect(new Set(leaves.map((l) => l[2]))).toEqual(new Set(owners.map((o) => o.address.toLowerCase())));
    const accepted = await db.prisma.fragmentResult.groupBy({ by: ["owner"], where: { jobId: job.id, status: "accepted" }, _count: true });
    for (const l of leaves) expect(BigInt(l[3])).toBe((1_000_003n * BigInt(accepted.find((a) => a.owner === l[2])!._count)) / 18n);
    expect(leaves.reduce((a, l) => a + BigInt(l[3]), 0n)).toBeLessThanOrEqual(1_000_003n);

    // the model downloads as safetensors
    const modelRoute = await import("@/app/api/jobs/[id]/model/route");
    const bytes = new Uint8Array(await (await modelRoute.GET(req(`/api/jobs/${job.id}/model`), params({ id: job.id }))).arrayBuffer());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { shape: number[] }>;
    expect(header["layers.0.weight"]!.shape).toEqual([4, 8]);
    expect(header["layers.1.bias"]!.shape).toEqual([3]);
    expect(bytes.length).toBe(8 + n + 4 * (5 * 8 + 9 * 3));
    // its card and the loss chart's data
    const cardRoute = await import("@/app/api/jobs/[id]/model-card/route");
    const card = (await (await cardRoute.GET(req(`/api/jobs/${job.id}/model-card`), params({ id: job.id }))).json()) as { weightsSha256: string; metrics: { heldOutAccuracy: number; rounds: number }; links: { proof: string } };
    expect(card).toMatchObject({ weightsSha256: honestFinal, metrics: { heldOutAccuracy: honestAccuracy, rounds: 3 } });
    expect(card.links.proof).toMatch(new RegExp(`/api/jobs/${job.id}/proof$`));
    const roundsRoute = await import("@/app/api/jobs/[id]/rounds/route");
    const curve = (await (await roundsRoute.GET(req(`/api/jobs/${job.id}/rounds`), params({ id: job.id }))).json()) as { rounds: { round: number; heldOutLoss: number }[] };
    expect(curve.rounds.map((r) => r.round)).toEqual([0, 1, 2]);
    const missing = await roundsRoute.GET(req("/api/jobs/00000000-0000-4000-8000-000000000000/rounds"), params({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(missing.status).toBe(404);
  });

  it("Byzantine workers (garbage, scaled, stale W_r, zero, a copied result): none accepted, each faulted and barred, final model identical to the honest run", async () => {
    const strategies: Strategy[] = ["garbage", "scaled", "stale", "zero", "copy"];
    const good = Array.from({ length: 10 }, () => privateKeyToAccount(generatePrivateKey()));
    const bad = strategies.map(() => privateKeyToAccount(generatePrivateKey()));
    const { final: honestFinal, accuracy: honestAccuracy } = await honest();
    for (const o of [...good, ...bad]) await register(o);
    await index();
    delete lastHonest.delta;
    const job = await activeJob(IRIS);
    // the cheaters claim first in every pass
    const workers = [...bad.map((o, i) => new SimWorker(routes, store(), o, nodes.get(o.address)![0]!, strategies[i])), ...good.map((o) => new SimWorker(routes, store(), o, nodes.get(o.address)![0]!))];
    const run = await drive(job, workers);
    expect(run.finalWeightsSha256).toBe(honestFinal);
    const last = await db.prisma.round.findUniqueOrThrow({ where: { jobId_round: { jobId: job.id, round: 2 } } });
    expect(last.heldOutAccuracy).toBe(honestAccuracy);

    const faults = await sch.listFaults(db.prisma);
    const faulted = new Set(faults.map((f) => f.owner));
    for (const b of bad) expect(faulted, `${b.address} was not faulted`).toContain(b.address.toLowerCase());
    for (const h of good) expect(faulted).not.toContain(h.address.toLowerCase());
    const f = faults[0]!.evidence as { fragment: unknown; inputs: { weightsSha256: string }; resultSha256: string; referenceSha256: string };
    expect(f.fragment).toBeTruthy();
    expect(f.inputs.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(f.referenceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(f.resultSha256).not.toBe(f.referenceSha256);
    // no accepted result came from a cheater's wrong answer: every accepted delta matches the reference
    const proof = await proofOf(job.id);
    expect((await checkProof(proof, fetchBlob)).mismatches).toEqual([]);
    for (const fr of proof.rounds.flatMap((r) => r.fragments)) {
      for (const x of fr.results) if (x.status === "accepted") expect(x.deltaSha256).toBe(fr.acceptedSha256);
    }
    expect(proof.redundancy.overhead!).toBeGreaterThan(2);
    console.log(`Byzantine run: redundancy overhead ${proof.redundancy.overhead!.toFixed(2)} (replica work ÷ useful work), ${faults.length} faults`);
    // barred: a faulted node can claim nothing more
    const barred = workers[0]!;
    const res = await routes.claim.POST(req("/api/fragments/claim", { method: "POST", json: { nodeId: barred.nodeId.toString() }, headers: { "x-corex-worker": await workerAuth(barred.owner, barred.nodeId) } }), noCtx);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("node_not_eligible");
  });

  it("adaptive replication: trusted nodes get k = 1 with a spot check, which catches a trusted cheater (faulted, replaced by the verifier's delta)", async () => {
    const [upright, cheater, verifier] = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()));
    for (const o of [upright!, cheater!, verifier!]) await register(o);
    await index();
    const job = await activeJob({ rounds: 1, shards: 2, localSteps: 5, batch: 8, learningRate: 0.1, seed: 11 });
    const trustAll = { adaptiveMinValid: 0 };
    const adaptiveTick = async () => {
      await index();
      return sch.coordinatorTick(ctx(), { rpcUrl: anvil.rpcUrl, taskManager: chain.addr.tasks }, trustAll);
    };
    const wc = new SimWorker(routes, store(), cheater!, nodes.get(cheater!.address)![0]!, "scaled");
    const wh = new SimWorker(routes, store(), upright!, nodes.get(upright!.address)![0]!);
    const wv = new SimWorker(routes, store(), verifier!, nodes.get(verifier!.address)![0]!);
    expect(await wc.step(job.spec)).toBe(1);
    expect((await adaptiveTick()).verification.adaptive).toBe(1);
    expect(await wh.step(job.spec)).toBe(1);
    expect((await adaptiveTick()).verification.adaptive).toBe(1);
    // both fragments accepted on one replica each; each got a verify slot (p = 1 at the trust threshold: adaptive.ts)
    expect(await db.prisma.fragment.count({ where: { jobId: job.id, status: "accepted" } })).toBe(2);
    expect(await db.prisma.replicaSlot.count({ where: { jobId: job.id, kind: "verify", state: "open" } })).toBe(2);
    expect(await db.prisma.round.findUniqueOrThrow({ where: { jobId_round: { jobId: job.id, round: 0 } } })).toMatchObject({ status: "open" });
    expect(await wv.step(job.spec, { max: 2 })).toBe(2);
    const t = await adaptiveTick();
    expect(t.verification.faults).toBe(1);
    const faults = await sch.listFaults(db.prisma, { nodeId: wc.nodeId });
    expect(faults).toHaveLength(1);
    const proof = await proofOf(job.id);
    expect((await checkProof(proof, fetchBlob)).mismatches).toEqual([]);
    // a round's delta hashes are not public before it is aggregated (no copying another replica's blob)
    expect(proof.rounds[0]!.status).toBe("aggregated");
    const verifyResults = proof.rounds[0]!.fragments.flatMap((f) => f.results.filter((x) => x.kind === "verify").map((x) => ({ x, f })));
    expect(verifyResults.every(({ x }) => x.status === "accepted")).toBe(true);
    const caught = proof.rounds[0]!.fragments.find((f) => f.results.some((x) => x.owner === cheater!.address.toLowerCase()))!;
    expect(caught.acceptedSha256).toBe(caught.results.find((x) => x.kind === "verify")!.deltaSha256);
    expect(await wc.claim()).toEqual([]);
    expect(wc.barred).toBe(true);
  });

  it("a compute result that lands while an adaptive accept of another replica is being recorded is still judged, so the round aggregates", async () => {
    const [first, second] = [0, 1].map(() => privateKeyToAccount(generatePrivateKey()));
    for (const o of [first!, second!]) await register(o);
    await index();
    // One fragment, k = 2, both compute replicas open from the start (no lazy replicas): each node leases one.
    const job = await activeJob({ rounds: 1, shards: 1, localSteps: 5, batch: 8, learningRate: 0.1, seed: 29 });
    const wa = new SimWorker(routes, store(), first!, nodes.get(first!.address)![0]!);
    const wb = new SimWorker(routes, store(), second!, nodes.get(second!.address)![0]!);
    const [sa] = await wa.claim();
    const [sb] = await wb.claim();
    expect([sa!.replica, sb!.replica]).toEqual([0, 1]);
    const ra = await wa.compute(sa!, job.spec);
    expect((await wa.submit(sa!, ra.delta, ra.meanLoss)).status).toBe(201);
    // The pass accepts a's lone result (a trusted node) and cancels b's leased replica ...
    // (Its spot check, drawn with p = 1 at the trust threshold, is left to the CPU reference at once.)
    const trustAll = { adaptiveMinValid: 0, spotCheckWaitMs: 0 };
    expect((await tick(trustAll)).verification.adaptive).toBe(1);
    expect((await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: sb!.slotId } })).state).toBe("cancelled");
    // ... but b's result was recorded in the instant between the pass reading the fragment's results and
    // that cancel (the race the bench met): replayed here by letting b's submission land first.
    await db.prisma.replicaSlot.update({ where: { id: sb!.slotId }, data: { state: "leased" } });
    const rb = await wb.compute(sb!, job.spec);
    expect((await wb.submit(sb!, rb.delta, rb.meanLoss)).status).toBe(201);
    expect(await db.prisma.fragmentResult.count({ where: { jobId: job.id, status: "pending" } })).toBe(1);
    // The next pass judges it against the accepted delta (it agrees), and nothing holds the round back.
    await tick(trustAll);
    const results = await db.prisma.fragmentResult.findMany({ where: { jobId: job.id, kind: "compute" }, orderBy: { replica: "asc" } });
    expect(results.map((r) => [r.replica, r.status])).toEqual([[0, "accepted"], [1, "accepted"]]);
    for (let i = 0; i < 3; i++) await tick(trustAll);
    expect(await db.prisma.round.findUniqueOrThrow({ where: { jobId_round: { jobId: job.id, round: 0 } } })).toMatchObject({ status: "aggregated" });
  });

  it("a worker that vanishes loses its lease; the slot is reclaimed by the same claim query and the job completes", async () => {
    const owners = Array.from({ length: 3 }, () => privateKeyToAccount(generatePrivateKey()));
    for (const o of owners) await register(o);
    await index();
    const job = await activeJob({ rounds: 1, shards: 2, localSteps: 5, batch: 8, learningRate: 0.1, seed: 3 });
    const ghost = new SimWorker(routes, store(), owners[0]!, nodes.get(owners[0]!.address)![0]!, "vanish");
    await ghost.step(job.spec);
    const held = ghost.held[0]!;
    // heartbeats extend the lease while the worker is alive
    const before = (await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: held.slotId } })).leaseDeadline!;
    await new Promise((r) => setTimeout(r, 20));
    const hb = await routes.heartbeat.POST(req(`/api/fragments/${held.slotId}/heartbeat`, { method: "POST", json: { nodeId: ghost.nodeId.toString() }, headers: { "x-corex-worker": await workerAuth(ghost.owner, ghost.nodeId) } }), params({ id: held.slotId }));
    expect(hb.status).toBe(200);
    expect(new Date(((await hb.json()) as { leaseDeadline: string }).leaseDeadline).getTime()).toBeGreaterThan(before.getTime());
    // then it vanishes: its lease runs out (time moved forward in the database)
    await db.prisma.$executeRaw`UPDATE replica_slots SET lease_deadline = now() - interval '1 second' WHERE id = ${held.slotId}::uuid`;
    const others = owners.slice(1).map((o) => new SimWorker(routes, store(), o, nodes.get(o.address)![0]!));
    await drive(job, others);
    const slot = await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: held.slotId } });
    expect(slot.leases).toBe(2);
    expect(slot.nodeId).not.toBe(ghost.nodeId);
    // the ghost's late result and heartbeat are refused
    const late = await ghost.submit(held, new Float32Array(67), 1);
    expect(late.status).toBe(403);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe("bad_signature");
    const hb2 = await routes.heartbeat.POST(req(`/api/fragments/${held.slotId}/heartbeat`, { method: "POST", json: { nodeId: ghost.nodeId.toString() }, headers: { "x-corex-worker": await workerAuth(ghost.owner, ghost.nodeId) } }), params({ id: held.slotId }));
    expect(hb2.status).toBe(403);
    expect(await db.prisma.fragment.count({ where: { jobId: job.id, status: "accepted" } })).toBe(2);
  });

  it("a reused WorkerAuth header (its signature recovery is memoised) stops working the moment its session key is revoked", async () => {
    const o = privateKeyToAccount(generatePrivateKey());
    const [nodeId] = await register(o);
    await index();
    const key = privateKeyToAccount(generatePrivateKey());
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const delegation = await o.signTypedData({ domain: delegationDomain(31337), types: delegationTypes, primaryType: "SessionKeyDelegation", message: { sessionKey: key.address, nodeId: nodeId!, expiresAt: BigInt(expiresAt) } });
    const skRoute = await import("@/app/api/auth/session-keys/route");
    const skKeyRoute = await import("@/app/api/auth/session-keys/[key]/route");
    const ownerCookie = await signInCookie(o);
    expect((await skRoute.POST(req("/api/auth/session-keys", { method: "POST", cookie: ownerCookie, json: { sessionKey: key.address, nodeId: nodeId!.toString(), expiresAt, signature: delegation } }), noCtx)).status).toBe(201);
    await activeJob({ rounds: 1, shards: 1, localSteps: 1, batch: 1, learningRate: 0.1, seed: 17 }, { redundancy: 1 });

    const header = { "x-corex-worker": await workerAuth(key, nodeId!) };
    const claimOnce = () => routes.claim.POST(req("/api/fragments/claim", { method: "POST", json: { nodeId: nodeId!.toString() }, headers: header }), noCtx);
    const claimed = await claimOnce();
    expect(claimed.status).toBe(200);
    const [slot] = ((await claimed.json()) as { slots: { slotId: string }[] }).slots;
    const beat = () => routes.heartbeat.POST(req(`/api/fragments/${slot!.slotId}/heartbeat`, { method: "POST", json: { nodeId: nodeId!.toString() }, headers: header }), params({ id: slot!.slotId }));
    expect((await beat()).status).toBe(200);
    expect((await beat()).status).toBe(200);

    const revoked = await skKeyRoute.DELETE(req(`/api/auth/session-keys/${key.address}`, { method: "DELETE", cookie: ownerCookie }), params({ key: key.address }));
    expect(revoked.status).toBeLessThan(300);
    for (const res of [await beat(), await claimOnce()]) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    }
    const before = await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: slot!.slotId } });
    expect((await beat()).status).toBe(401);
    expect((await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: slot!.slotId } })).leaseDeadline).toEqual(before.leaseDeadline);
  });

  it("50 concurrent claimers (25 owners × 2 nodes) on two app instances never share a slot, and no owner holds two replicas of a fragment", async () => {
    const owners = Array.from({ length: 25 }, () => privateKeyToAccount(generatePrivateKey()));
    for (const o of owners) await register(o, 2);
    await index();
    const job = await activeJob({ rounds: 1, shards: 40, localSteps: 1, batch: 1, learningRate: 0.1, seed: 5 });
    const workers = owners.flatMap((o) => nodes.get(o.address)!.map((n) => new SimWorker(routes, store(), o, n)));
    expect(workers).toHaveLength(50);
    const all: string[] = [];
    // a second "app instance": its own Prisma client and pool on the same database, claiming for half the nodes
    const { createPrismaClient } = await import("@/lib/db/prisma-client");
    const second = createPrismaClient(db.url);
    try {
      for (let wave = 0; wave < 3; wave++) {
        const got = await Promise.all(workers.map(async (w, i) => (i % 2 ? (await sch.claimSlots(second, 31337, w.nodeId, 2)).map((c) => ({ slotId: c.id })) : w.claim(2))));
        all.push(...got.flat().map((s) => s.slotId));
      }
    } finally {
      await second.$disconnect();
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(80);
    const leased = await db.prisma.replicaSlot.count({ where: { jobId: job.id, state: "leased" } });
    expect(leased).toBe(80);
    const dup = await db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM (SELECT fragment_id, owner FROM replica_slots WHERE job_id = ${job.id}::uuid AND state = 'leased' GROUP BY 1, 2 HAVING count(*) > 1) d`;
    expect(Number(dup[0]!.n)).toBe(0);
  });

  it("eligibility from the mirror: a bronze node gets no slot of a job with min tier 1; a deactivated node is refused", async () => {
    const o = privateKeyToAccount(generatePrivateKey());
    const [nodeId] = await register(o);
    await index();
    const job = await activeJob({ rounds: 1, shards: 1, localSteps: 1, batch: 1, learningRate: 0.1, seed: 13 }, { minTier: 1 });
    const w = new SimWorker(routes, store(), o, nodeId!);
    expect(await w.claim(4)).toEqual([]);
    expect(await db.prisma.replicaSlot.count({ where: { jobId: job.id, state: "open" } })).toBe(2);
    const hash = await chain.client.writeContract({ account: o, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "deactivateNode", args: [nodeId!] });
    await chain.client.waitForTransactionReceipt({ hash });
    await index();
    expect(await w.claim(1)).toEqual([]);
    expect(w.barred).toBe(true);
  });

  it("refuses forged, replayed and cross-fragment signatures, bad deltas, oversized and malformed bodies and unauthenticated calls with 4xx and a stable code; nothing changes", async () => {
    const [a, b] = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
    for (const o of [a, b]) await register(o);
    await index();
    const job = await activeJob({ rounds: 1, shards: 2, localSteps: 2, batch: 4, learningRate: 0.1, seed: 9 });
    const hidden = async () => (await proofOf(job.id)).rounds[0]!.fragments.flatMap((f) => [f.acceptedSha256 ?? "", ...f.results.map((x) => x.deltaSha256)]).filter(Boolean);
    const wa = new SimWorker(routes, store(), a, nodes.get(a.address)![0]!);
    const wb = new SimWorker(routes, store(), b, nodes.get(b.address)![0]!);
    const [sa1, sa2] = await wa.claim(2);
    const [sb] = await wb.claim(1);
    expect(sa1 && sa2 && sb).toBeTruthy();
    const r = await wa.compute(sa1!, job.spec);
    const bytes = encodeFloat32(r.delta);
    const h = await sha256(bytes);
    const snapshot = async () => JSON.stringify(await db.prisma.$queryRaw`SELECT (SELECT json_agg(s ORDER BY id) FROM replica_slots s) AS slots, (SELECT count(*)::int FROM fragment_results) AS results, (SELECT count(*)::int FROM faults) AS faults`);
    const before = await snapshot();
    const code = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    const submit = (slotId: string, body: Uint8Array, headers: Record<string, string>) => routes.result.POST(resultRequest(slotId, body, headers), params({ id: slotId }));
    const good = { "x-corex-loss": String(r.meanLoss), "x-corex-signature": await signResult(a, sa1!, wa.nodeId, h, r.meanLoss) };
    const stranger = privateKeyToAccount(generatePrivateKey());

    const cases: [string, Promise<Response>, number, string][] = [
      ["forged (a stranger signs)", submit(sa1!.slotId, bytes, { ...good, "x-corex-signature": await signResult(stranger, sa1!, wa.nodeId, h, r.meanLoss) }), 403, "bad_signature"],
      ["signed for another fragment", submit(sa1!.slotId, bytes, { ...good, "x-corex-signature": await signResult(a, sa2!, wa.nodeId, h, r.meanLoss) }), 403, "bad_signature"],
      ["b's signature replayed on a's slot", submit(sa1!.slotId, bytes, { ...good, "x-corex-signature": await signResult(b, sb!, wb.nodeId, h, r.meanLoss) }), 403, "bad_signature"],
      ["signed for another loss", submit(sa1!.slotId, bytes, { ...good, "x-corex-loss": String(r.meanLoss + 1) }), 403, "bad_signature"],
      ["someone else's slot", submit(sb!.slotId, bytes, good), 403, "bad_signature"],
      ["wrong length", submit(sa1!.slotId, bytes.subarray(0, 8), good), 422, "delta_length"],
      ["oversized", submit(sa1!.slotId, new Uint8Array(bytes.length + 4), good), 413, "payload_too_large"],
      ["NaN", submit(sa1!.slotId, encodeFloat32(new Float32Array(r.delta.length).fill(Number.NaN)), good), 422, "delta_not_finite"],
      ["infinite", submit(sa1!.slotId, encodeFloat32(new Float32Array(r.delta.length).fill(Infinity)), good), 422, "delta_not_finite"],
      ["no signature", submit(sa1!.slotId, bytes, { "x-corex-loss": "1" }), 400, "validation_failed"],
      ["loss not a number", submit(sa1!.slotId, bytes, { ...good, "x-corex-loss": "NaN" }), 400, "validation_failed"],
      ["JSON instead of binary", routes.result.POST(req(`/api/fragments/${sa1!.slotId}/result`, { method: "POST", json: { delta: [1] }, headers: good }), params({ id: sa1!.slotId })), 415, "unsupported_media_type"],
      ["unknown slot", submit("00000000-0000-4000-8000-000000000000", bytes, good), 404, "not_found"],
      ["not a slot id", submit("nope", bytes, good), 400, "validation_failed"],
      ["unauthenticated claim", routes.claim.POST(req("/api/fragments/claim", { method: "POST", json: { nodeId: wa.nodeId.toString() } }), noCtx), 401, "unauthorized"],
      ["claim signed by a non-owner", routes.claim.POST(req("/api/fragments/claim", { method: "POST", json: { nodeId: wa.nodeId.toString() }, headers: { "x-corex-worker": await workerAuth(b, wa.nodeId) } }), noCtx), 401, "unauthorized"],
      ["claim: malformed JSON", routes.claim.POST(req("/api/fragments/claim", { method: "POST", body: "{{", headers: { "content-type": "application/json" } }), noCtx), 400, "invalid_json"],
      ["claim: unknown field", routes.claim.POST(req("/api/fragments/claim", { method: "POST", json: { nodeId: "1", max: 1, greedy: true } }), noCtx), 400, "validation_failed"],
      ["claim: max 0", routes.claim.POST(req("/api/fragments/claim", { method: "POST", json: { nodeId: "1", max: 0 } }), noCtx), 400, "validation_failed"],
      ["claim: oversized", routes.claim.POST(req("/api/fragments/claim", { method: "POST", json: { nodeId: "1", pad: "x".repeat(4000) } }), noCtx), 413, "payload_too_large"],
      ["claim for an unregistered node", routes.claim.POST(req("/api/fragments/claim", { method: "POST", json: { nodeId: "99999" }, headers: { "x-corex-worker": await workerAuth(a, 99999n) } }), noCtx), 401, "unauthorized"],
      ["heartbeat on b's slot", routes.heartbeat.POST(req(`/api/fragments/${sb!.slotId}/heartbeat`, { method: "POST", json: { nodeId: wa.nodeId.toString() }, headers: { "x-corex-worker": await workerAuth(a, wa.nodeId) } }), params({ id: sb!.slotId })), 403, "not_lease_holder"],
    ];
    for (const [name, p, status, c] of cases) expect(await code(await p), name).toEqual([status, c]);
    expect(await snapshot()).toBe(before);

    // accepted once, idempotent on repeat, a different second result is a conflict
    const ok = await submit(sa1!.slotId, bytes, good);
    expect(ok.status).toBe(201);
    const again = await submit(sa1!.slotId, bytes, good);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    const other = encodeFloat32(r.delta.map((v) => v * 2));
    expect(await code(await submit(sa1!.slotId, other, { ...good, "x-corex-signature": await signResult(a, sa1!, wa.nodeId, await sha256(other), r.meanLoss) }))).toEqual([409, "result_conflict"]);
    expect(await db.prisma.fragmentResult.count({ where: { slotId: sa1!.slotId } })).toBe(1);
    expect(await hidden()).toEqual([]);
    // an expired lease refuses a correctly signed result
    await db.prisma.$executeRaw`UPDATE replica_slots SET lease_deadline = now() - interval '1 second' WHERE id = ${sa2!.slotId}::uuid`;
    const r2 = await wa.compute(sa2!, job.spec);
    expect(await code(await wa.submit(sa2!, r2.delta, r2.meanLoss))).toEqual([409, "lease_expired"]);
  });
  it("two colluding owners' identical wrong delta is accepted, then caught by the spot check the reference runs when no one takes it", async () => {
    const hyper = { ...IRIS, rounds: 1, shards: 1 };
    const colluders = Array.from({ length: 2 }, () => privateKeyToAccount(generatePrivateKey()));
    for (const o of colluders) await register(o);
    const job = await activeJob(hyper, { spotCheckRate: 1 });
    const cheats = colluders.map((o) => new SimWorker(routes, store(), o, nodes.get(o.address)![0]!, "scaled"));
    for (const w of cheats) await w.step(job.spec);
    await tick({ spotCheckWaitMs: 0 });
    const [caught] = await db.prisma.fragment.findMany({ where: { jobId: job.id } });
    expect(caught!.referenceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(caught!.acceptedSha256).toBe(caught!.referenceSha256);
    const faults = await db.prisma.fault.findMany({ where: { jobId: job.id } });
    expect(faults.map((f) => f.owner).sort()).toEqual(colluders.map((o) => o.address.toLowerCase()).sort());
  });
});
