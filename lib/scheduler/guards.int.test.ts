import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { delegationDomain, delegationTypes } from "@/lib/auth/delegation";
import { hashToken } from "@/lib/auth/siwe";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { runIndexer } from "@/lib/indexer/indexer";
import { decodeFloat32, encodeFloat32, resultDomain, workerAuthTypes, type ClaimedSlot, type Proof, type TrainingSpec } from "@/lib/protocol";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { loadFragmentRoutes, resultRequest, sha256, signResult, SimWorker, workerAuth } from "@/test/support/fragment-workers";
import { signInCookie } from "@/test/support/sign-in";
import { TOLERANCE } from "./context";

// The guards issue 20 found unpinned: each test here fails when its guard is removed. Every test
// starts its own job (after closing the others), with fresh owners, so none depends on another's order.
describe("fragments API guards: expiry on the path that runs, abandon, refused results leave nothing, tolerance, outer optimizer (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let chain: ChainCtx;
  let blobDir: string;
  let cookie: string;
  let sch: typeof import("@/lib/scheduler");
  let routes: Awaited<ReturnType<typeof loadFragmentRoutes>>;
  let jobsRoute: typeof import("@/app/api/jobs/route");
  let proofRoute: typeof import("@/app/api/jobs/[id]/proof/route");
  let abandonRoute: typeof import("@/app/api/fragments/[id]/abandon/route");
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
  async function owners(n: number): Promise<{ account: PrivateKeyAccount; nodeId: bigint }[]> {
    const out = [];
    for (let i = 0; i < n; i++) {
      const account = privateKeyToAccount(generatePrivateKey());
      out.push({ account, nodeId: await register(account) });
    }
    await index();
    return out;
  }
  async function activeJob(hyper: Record<string, number>, extra: Record<string, unknown> = {}): Promise<{ id: string; spec: TrainingSpec }> {
    // Other tests' jobs out of the way, so this test's claims land on its own job.
    await db.prisma.job.updateMany({ where: { status: "active" }, data: { status: "failed" } });
    const res = await jobsRoute.POST(req("/api/jobs", { method: "POST", cookie, json: { dataset: "iris", model: { hidden: [8], activation: "tanh" }, hyper, spotCheckRate: 0, ...extra } }), noCtx);
    expect(res.status).toBe(201);
    const j = (await res.json()) as { id: string; spec: TrainingSpec; specHash: Hex; fragmentCount: number };
    const hash = await chain.client.writeContract({ account: alice, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "createTask", args: [j.specHash, j.fragmentCount, 0n, 0, "0x0000000000000000000000000000000000000000", 0] });
    await chain.client.waitForTransactionReceipt({ hash });
    await tick();
    expect(await db.prisma.trainingRun.findUnique({ where: { jobId: j.id } })).toMatchObject({ status: "training", round: 0 });
    return j;
  }
  const header = async (signer: PrivateKeyAccount, nodeId: bigint, expiresAt: number) => {
    const sig = await signer.signTypedData({ domain: resultDomain(31337), types: workerAuthTypes, primaryType: "WorkerAuth", message: { nodeId, expiresAt: BigInt(expiresAt) } });
    return { "x-corex-worker": `${expiresAt}.${sig}` };
  };
  const claim = (nodeId: bigint, h: Record<string, string>, c?: string) => routes.claim.POST(req("/api/fragments/claim", { method: "POST", json: { nodeId: nodeId.toString(), max: 1 }, headers: h, cookie: c }), noCtx);
  const beat = (slotId: string, nodeId: bigint, h: Record<string, string>, c?: string) =>
    routes.heartbeat.POST(req(`/api/fragments/${slotId}/heartbeat`, { method: "POST", json: { nodeId: nodeId.toString() }, headers: h, cookie: c }), params({ id: slotId }));
  const code = async (res: Response) => [res.status, res.status >= 400 ? ((await res.json()) as { error: { code: string } }).error.code : "ok"];
  const json = (x: unknown) => JSON.stringify(x, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  const slots = async (jobId: string) => json(await db.prisma.replicaSlot.findMany({ where: { jobId }, orderBy: { id: "asc" } }));
  const now = () => Math.floor(Date.now() / 1000);
  async function blobFiles(dir = blobDir): Promise<string[]> {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) out.push(...(await blobFiles(path.join(dir, e.name))));
      else out.push(path.join(dir, e.name));
    }
    return out.sort();
  }

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    chain = await connectChain(anvil.rpcUrl);
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-guards-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    sch = await import("@/lib/scheduler");
    routes = await loadFragmentRoutes();
    jobsRoute = await import("@/app/api/jobs/route");
    proofRoute = await import("@/app/api/jobs/[id]/proof/route");
    abandonRoute = await import("@/app/api/fragments/[id]/abandon/route");
    await chain.client.setBalance({ address: alice.address, value: 10n ** 19n });
    cookie = await signInCookie(alice);
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  it("expiry, on claim, heartbeat and result: an expired session key, an expired WorkerAuth header and an expired session are refused and change nothing", async () => {
    const [{ account: o, nodeId }] = await owners(1);
    const ownerCookie = await signInCookie(o!);
    const key = privateKeyToAccount(generatePrivateKey());
    const expiresAt = now() + 3600;
    const signature = await o!.signTypedData({ domain: delegationDomain(31337), types: delegationTypes, primaryType: "SessionKeyDelegation", message: { sessionKey: key.address, nodeId: nodeId!, expiresAt: BigInt(expiresAt) } });
    const sk = await import("@/app/api/auth/session-keys/route");
    expect((await sk.POST(req("/api/auth/session-keys", { method: "POST", cookie: ownerCookie, json: { sessionKey: key.address, nodeId: nodeId!.toString(), expiresAt, signature } }), noCtx)).status).toBe(201);
    const job = await activeJob({ rounds: 1, shards: 2, localSteps: 2, batch: 4, learningRate: 0.1, seed: 21 }, { redundancy: 1 });

    // Live credentials work: the key claims and beats, the owner's session beats too.
    const keyHeader = await header(key, nodeId!, now() + 300);
    const claimed = await claim(nodeId!, keyHeader);
    expect(claimed.status).toBe(200);
    const [slot] = ((await claimed.json()) as { slots: ClaimedSlot[] }).slots;
    expect(await code(await beat(slot!.slotId, nodeId!, keyHeader))).toEqual([200, "ok"]);
    expect(await code(await beat(slot!.slotId, nodeId!, {}, ownerCookie))).toEqual([200, "ok"]);
    const worker = new SimWorker(routes, store(), o!, nodeId!, "honest", key);
    const r = await worker.compute(slot!, job.spec);
    const before = await slots(job.id);

    // 1. the delegated key expires (the clock moved past expiresAt)
    await db.prisma.sessionKey.update({ where: { keyAddress: key.address.toLowerCase() }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await code(await claim(nodeId!, keyHeader)), "claim, expired key").toEqual([401, "unauthorized"]);
    expect(await code(await beat(slot!.slotId, nodeId!, keyHeader)), "heartbeat, expired key").toEqual([401, "unauthorized"]);
    expect(await code(await worker.submit(slot!, r.delta, r.meanLoss)), "result, expired key").toEqual([403, "bad_signature"]);

    // 2. an expired WorkerAuth header of the owner (expiresAt now or earlier)
    for (const at of [now(), now() - 60]) {
      const h = await header(o!, nodeId!, at);
      expect(await code(await claim(nodeId!, h)), `claim, header expiring at ${at}`).toEqual([401, "unauthorized"]);
      expect(await code(await beat(slot!.slotId, nodeId!, h)), `heartbeat, header expiring at ${at}`).toEqual([401, "unauthorized"]);
    }

    // 3. the owner's session expires
    await db.prisma.session.updateMany({ where: { tokenHash: hashToken(decodeURIComponent(ownerCookie.split("=")[1]!)) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await code(await claim(nodeId!, {}, ownerCookie)), "claim, expired session").toEqual([401, "unauthorized"]);
    expect(await code(await beat(slot!.slotId, nodeId!, {}, ownerCookie)), "heartbeat, expired session").toEqual([401, "unauthorized"]);

    expect(await slots(job.id)).toBe(before);
    expect(await db.prisma.fragmentResult.count({ where: { jobId: job.id } })).toBe(0);
    // positive control: the owner's own signature on the same result is accepted
    const owner = new SimWorker(routes, store(), o!, nodeId!);
    expect((await owner.submit(slot!, r.delta, r.meanLoss)).status).toBe(201);
  });

  it("abandon: a node abandoning a lease it does not hold changes nothing; the holder's abandon reopens the slot", async () => {
    const [a, b] = await owners(2);
    const job = await activeJob({ rounds: 1, shards: 2, localSteps: 2, batch: 4, learningRate: 0.1, seed: 23 }, { redundancy: 1 });
    const [slot] = await new SimWorker(routes, store(), a!.account, a!.nodeId).claim(1);
    expect(slot).toBeTruthy();
    const abandon = async (signer: PrivateKeyAccount, nodeId: bigint) =>
      code(await abandonRoute.POST(req(`/api/fragments/${slot!.slotId}/abandon`, { method: "POST", json: { nodeId: nodeId.toString() }, headers: { "x-corex-worker": await workerAuth(signer, nodeId) } }), params({ id: slot!.slotId })));
    const before = await slots(job.id);
    expect(await abandon(b!.account, b!.nodeId), "another node's lease").toEqual([403, "not_lease_holder"]);
    expect(await abandon(b!.account, a!.nodeId), "signed for a node it does not own").toEqual([401, "unauthorized"]);
    expect(await slots(job.id)).toBe(before);
    expect(await abandon(a!.account, a!.nodeId)).toEqual([200, "ok"]);
    expect(await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: slot!.slotId } })).toMatchObject({ state: "open", nodeId: null, owner: null, leaseDeadline: null });
  });

  it("a refused result leaves nothing behind, the blob store included; a correctly signed NaN or ∞ delta is 422 delta_not_finite", async () => {
    const [a, b] = await owners(2);
    const job = await activeJob({ rounds: 1, shards: 2, localSteps: 2, batch: 4, learningRate: 0.1, seed: 25 }, { redundancy: 1 });
    const wa = new SimWorker(routes, store(), a!.account, a!.nodeId);
    const [s1, s2] = await wa.claim(2);
    expect(s1 && s2).toBeTruthy();
    const r = await wa.compute(s1!, job.spec);
    const stranger = privateKeyToAccount(generatePrivateKey());
    const snapshot = async () =>
      json([await slots(job.id), await db.prisma.fragmentResult.count(), await db.prisma.fault.count(), await db.prisma.fragment.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } }), await blobFiles()]);
    const before = await snapshot();
    // each body is signed correctly for what is sent: refused for what it is, not for its signature
    const signed = async (slot: ClaimedSlot, delta: Float32Array, signer = a!.account) => {
      const bytes = encodeFloat32(delta);
      return routes.result.POST(resultRequest(slot.slotId, bytes, { "x-corex-loss": String(r.meanLoss), "x-corex-signature": await signResult(signer, slot, a!.nodeId, await sha256(bytes), r.meanLoss) }), params({ id: slot.slotId }));
    };
    const nan = Float32Array.from(r.delta);
    nan[3] = Number.NaN;
    const inf = Float32Array.from(r.delta);
    inf[5] = -Infinity;
    expect(await code(await signed(s1!, nan)), "signed NaN").toEqual([422, "delta_not_finite"]);
    expect(await code(await signed(s1!, inf)), "signed −∞").toEqual([422, "delta_not_finite"]);
    expect(await code(await signed(s1!, r.delta, stranger)), "a stranger's signature").toEqual([403, "bad_signature"]);
    expect(await code(await signed(s1!, r.delta, b!.account)), "another owner's signature").toEqual([403, "bad_signature"]);
    // an expired lease, correctly signed
    const deadline = (await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: s2!.slotId } })).leaseDeadline!;
    await db.prisma.$executeRaw`UPDATE replica_slots SET lease_deadline = now() - interval '1 second' WHERE id = ${s2!.slotId}::uuid`;
    const expired = await snapshot();
    const r2 = await wa.compute(s2!, job.spec);
    expect(await code(await wa.submit(s2!, r2.delta, r2.meanLoss)), "expired lease").toEqual([409, "lease_expired"]);
    expect(await snapshot()).toBe(expired);
    await db.prisma.$executeRaw`UPDATE replica_slots SET lease_deadline = ${deadline} WHERE id = ${s2!.slotId}::uuid`;
    expect(await snapshot()).toBe(before);
    // positive control: the honest result is stored (one new blob) and recorded
    expect((await signed(s1!, r.delta)).status).toBe(201);
    expect((await blobFiles()).length).toBe(JSON.parse(before)[4].length + 1);
  });

  it("tolerance boundary: a replica about 2× the tolerance from the reference is rejected and faulted; one about 0.1× away is accepted", async () => {
    const [h1, c1, h2, c2] = await owners(4);
    for (const [scale, accepted] of [[2, false], [0.1, true]] as const) {
      const [honest, near] = scale === 2 ? [h1!, c1!] : [h2!, c2!];
      const job = await activeJob({ rounds: 1, shards: 1, localSteps: 3, batch: 4, learningRate: 0.1, seed: scale === 2 ? 27 : 29 }, { redundancy: 2 });
      const wh = new SimWorker(routes, store(), honest.account, honest.nodeId);
      const wn = new SimWorker(routes, store(), near.account, near.nodeId);
      const [sh] = await wh.claim(1);
      const [sn] = await wn.claim(1);
      expect(sh && sn).toBeTruthy();
      const ref = await wh.compute(sh!, job.spec);
      let norm = 0;
      for (const v of ref.delta) norm += v * v;
      // every value pushed by the same amount: ‖δ − ref‖ / ‖ref‖ = scale × tolerance
      const eps = (scale * TOLERANCE.relativeL2 * Math.sqrt(norm)) / Math.sqrt(ref.delta.length);
      expect((await wh.submit(sh!, ref.delta, ref.meanLoss)).status).toBe(201);
      expect((await wn.submit(sn!, ref.delta.map((v) => v + eps), ref.meanLoss)).status).toBe(201);
      await tick();
      const results = await db.prisma.fragmentResult.findMany({ where: { jobId: job.id }, orderBy: { replica: "asc" } });
      // rejected: the honest replica agrees with the reference (valid) and waits for a replacement replica
      expect(results.map((x) => x.status)).toEqual(accepted ? ["accepted", "accepted"] : ["valid", "rejected"]);
      const faults = await db.prisma.fault.findMany({ where: { jobId: job.id } });
      expect(faults.map((f) => f.owner)).toEqual(accepted ? [] : [near.account.address.toLowerCase()]);
      if (!accepted) expect((faults[0]!.evidence as { relativeL2ToReference: number }).relativeL2ToReference / TOLERANCE.relativeL2).toBeCloseTo(2, 1);
    }
  });

  it("money with cheaters: a fee-paying job's fee leaves, cancelled or completed, leave a rejected (Byzantine) owner out", async () => {
    const [h1, h2, c] = await owners(3);
    const job = await activeJob({ rounds: 1, shards: 2, localSteps: 3, batch: 4, learningRate: 0.1, seed: 33 }, { redundancy: 2 });
    // The fee is what the fee rule splits (lib/epochs computeFees, the closer's and the watchtower's);
    // escrowing and claiming it on chain is fees.int.test.ts's business.
    const cheat = new SimWorker(routes, store(), c!.account, c!.nodeId, "scaled");
    const w1 = new SimWorker(routes, store(), h1!.account, h1!.nodeId);
    const w2 = new SimWorker(routes, store(), h2!.account, h2!.nodeId);
    expect(await cheat.step(job.spec)).toBe(1);
    expect(await w1.step(job.spec, { max: 2 })).toBe(2);
    expect(await w2.step(job.spec)).toBe(1);
    await tick();
    const rejected = await db.prisma.fragmentResult.findMany({ where: { jobId: job.id, status: "rejected" } });
    expect(rejected.map((r) => r.owner)).toEqual([c!.account.address.toLowerCase()]);
    expect(await db.prisma.fragment.count({ where: { jobId: job.id, status: "accepted" } })).toBe(1);
    const { computeFees } = await import("@/lib/epochs/rules");
    const fee = 1_000_000n;
    const creator = "0x00000000000000000000000000000000000000c0";
    // The fee leaves of the job's accepted results (the credentials the epochs loop records from them).
    const feeLeaves = async (closed: boolean) => {
      const credentials = (await sch.listContributions(db.prisma, { since: new Date(0), until: new Date(Date.now() + 60_000) }))
        .filter((r) => r.jobId === job.id)
        .map((r, i) => ({ ...r, id: `c${i}`, epoch: 1n, role: r.kind }));
      const tasks = new Map([[1n, { fee, fragmentCount: 2, creator, provider: null, providerFeeBps: 0, closed }]]);
      return computeFees({ credentials, jobs: new Map([[job.id, 1n]]), tasks, previous: [] }).leaves;
    };
    const [l1, l2] = [h1, h2].map((o) => o!.account.address.toLowerCase()).sort();
    // cancelled now: half the fee (1 of 2 fragments accepted), none of it to the cheater, the rest refunded
    expect(await feeLeaves(true)).toEqual([["fee", "1", l1, (fee / 4n).toString()], ["fee", "1", l2, (fee / 4n).toString()], ["refund", "1", creator, (fee / 2n).toString()]]);
    // completed: the replacement replica goes to h2; all of the fee to the honest owners, by accepted work
    expect(await w2.step(job.spec)).toBe(1);
    await tick();
    expect(await db.prisma.fragment.count({ where: { jobId: job.id, status: "accepted" } })).toBe(2);
    expect(await feeLeaves(true)).toEqual([["fee", "1", l1, (fee / 2n).toString()], ["fee", "1", l2, (fee / 2n).toString()]]);
    expect(await db.prisma.fault.count({ where: { jobId: job.id, owner: c!.account.address.toLowerCase() } })).toBe(1);
  });

  it("the outer optimizer with the demo's settings (lr 0.6, momentum 0.9) over 3 rounds: every W_{r+1} matches an independent float64 computation", async () => {
    const [a, b] = await owners(2);
    const job = await activeJob({ rounds: 3, shards: 2, localSteps: 5, batch: 8, learningRate: 0.1, outerLearningRate: 0.6, outerMomentum: 0.9, seed: 31 }, { redundancy: 1 });
    expect(job.spec.hyper).toMatchObject({ outerLearningRate: 0.6, outerMomentum: 0.9 });
    const workers = [a!, b!].map((o) => new SimWorker(routes, store(), o.account, o.nodeId));
    for (let pass = 0; pass < 40; pass++) {
      for (const w of workers) await w.step(job.spec, { max: 2 });
      await tick();
      if ((await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId: job.id } })).status === "completed") break;
    }
    const proof = (await (await proofRoute.GET(req(`/api/jobs/${job.id}/proof`), params({ id: job.id }))).json()) as Proof;
    expect(proof.rounds.map((r) => r.status)).toEqual(["aggregated", "aggregated", "aggregated"]);
    const blob = async (h: string) => Array.from(decodeFloat32((await store().get(h))!), Number);
    // Written from the formula (g = −mean Δ; v ← μv + g; W ← W − η(g + μv)) in float64, without lib/compute/outer.ts.
    let w = await blob(proof.rounds[0]!.weightsSha256);
    let v = w.map(() => 0);
    for (const r of proof.rounds) {
      const ds = await Promise.all([...r.acceptedResults].sort((x, y) => x.shard - y.shard).map((x) => blob(x.deltaSha256)));
      expect(ds).toHaveLength(2);
      const g = w.map((_, i) => -ds.reduce((s, d) => s + d[i]!, 0) / ds.length);
      v = v.map((vi, i) => 0.9 * vi + g[i]!);
      const prev = w;
      w = w.map((wi, i) => wi - 0.6 * (g[i]! + 0.9 * v[i]!));
      const got = await blob(r.nextWeightsSha256!);
      const err = Math.max(...got.map((x, i) => Math.abs(x - w[i]!)));
      const step = Math.max(...w.map((x, i) => Math.abs(x - prev[i]!)));
      expect(err, `round ${r.round}: coordinator's W_{r+1} vs float64`).toBeLessThan(1e-5);
      expect(step).toBeGreaterThan(1e-3);
      const vel = await blob(r.nextOptimizerStateSha256!);
      expect(Math.max(...vel.map((x, i) => Math.abs(x - v[i]!))), `round ${r.round}: velocity`).toBeLessThan(1e-5);
    }
    expect(proof.finalWeightsSha256).toBe(proof.rounds[2]!.nextWeightsSha256);
  });
});
