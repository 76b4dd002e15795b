import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keccak256, stringToBytes, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import type { BlobStore } from "@/lib/blobs/store";
import { fragmentFlops } from "@/lib/jobs";
import { decodeTable } from "@/lib/datasets/layout";
import { runIndexer } from "@/lib/indexer/indexer";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { signInCookie } from "@/test/support/sign-in";

type Job = { id: string; status: string; specHash: Hex; fragmentCount: number; workUnits: string; suggestedFee: string; taskId: string | null; canonicalSpec: string; spec: { dataset: { normalisation: string; mean: number[]; std: number[] }; shards: { sha256: string; rows: number }[]; heldOut: { sha256: string; rows: number }; model: { layers: number[] } }; createTask: { specHash: Hex; fragmentCount: number; fee: string; minTier: number } };

describe("jobs: creation, spec hash, activation by the mirrored TaskManager task (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let chain: ChainCtx;
  let blobDir: string;
  let cookie: string;
  let jobs: typeof import("@/app/api/jobs/route");
  let job: typeof import("@/app/api/jobs/[id]/route");
  const alice = privateKeyToAccount(generatePrivateKey());
  const bob = privateKeyToAccount(generatePrivateKey());

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    chain = await connectChain(anvil.rpcUrl);
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-jobs-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir, ADMIN_ADDRESSES: bob.address });
    jobs = await import("@/app/api/jobs/route");
    job = await import("@/app/api/jobs/[id]/route");
    cookie = await signInCookie(alice);
    for (const a of [alice, bob]) await chain.client.setBalance({ address: a.address, value: 10n ** 19n });
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  const post = (json: unknown, c = cookie) => jobs.POST(req("/api/jobs", { method: "POST", json, cookie: c }), noCtx);
  const get = async (id: string) => (await (await job.GET(req(`/api/jobs/${id}`), params({ id }))).json()) as Job;
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });
  const createTask = async (from: PrivateKeyAccount, specHash: Hex, fragmentCount: number, fee = 0n, minTier = 0) => {
    const hash = await chain.client.writeContract({ account: from, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "createTask", args: [specHash, fragmentCount, fee, minTier, "0x0000000000000000000000000000000000000000", 0] });
    await chain.client.waitForTransactionReceipt({ hash });
  };
  const readCreatedId = async () => (await chain.client.readContract({ address: chain.addr.tasks, abi: taskManagerAbi, functionName: "taskCount" })) as bigint;

  it("creates an Iris job: canonical spec, keccak-256 spec hash, R×S fragments, work units, shards as blobs", async () => {
    const res = await post({ dataset: "iris", hyper: { rounds: 3, shards: 4, seed: 7 }, model: { hidden: [8], activation: "tanh" } });
    expect(res.status).toBe(201);
    const j = (await res.json()) as Job;
    expect(j.status).toBe("awaiting_chain");
    expect(j.specHash).toBe(keccak256(stringToBytes(j.canonicalSpec)));
    expect(j.fragmentCount).toBe(12);
    expect(j.spec.model.layers).toEqual([4, 8, 3]);
    // lib/compute's fragment FLOPs with the defaults K=20, B=32, times R·S
    expect(j.workUnits).toBe(String(12n * fragmentFlops([4, 8, 3], 20, 32)));
    expect(BigInt(j.suggestedFee)).toBeGreaterThan(0n);
    // no published dataset: no provider and no share (TaskManager.createTask's last two arguments)
    expect(j.createTask).toEqual({ specHash: j.specHash, fragmentCount: 12, fee: "0", minTier: 0, provider: "0x0000000000000000000000000000000000000000", providerFeeBps: 0 });
    const store = fsBlobStore(blobDir);
    const rows = await Promise.all(j.spec.shards.map(async (s) => decodeTable((await store.get(s.sha256))!).rows));
    expect(rows.reduce((a, b) => a + b, 0) + j.spec.heldOut.rows).toBe(150);
    expect(j.spec.heldOut.rows).toBe(30);
    // Tabular: each column standardised on its own (lib/datasets/normalisation.ts), no std of 0 in a spec.
    const ds = j.spec.dataset;
    expect(ds.normalisation).toBe("per-feature");
    expect(new Set(ds.mean).size).toBe(4);
    expect(ds.std.every((s) => s > 0)).toBe(true);
  });

  it("splits MNIST 8,000 / 2,000 into S shards", async () => {
    const res = await post({ dataset: "mnist" });
    expect(res.status).toBe(201);
    const j = (await res.json()) as Job;
    expect(j.spec.shards).toHaveLength(8);
    expect(j.spec.shards.reduce((a, s) => a + s.rows, 0)).toBe(8000);
    expect(j.spec.heldOut.rows).toBe(2000);
    expect(j.spec.model.layers).toEqual([784, 64, 10]);
    // Pixels on one grey scale: one global mean/std (≈ 0.13 / 0.31 on these digits), not per-pixel z-scores
    // that divide near-blank border pixels by a tiny std.
    const ds = j.spec.dataset;
    expect(ds.normalisation).toBe("global");
    expect(ds.mean).toHaveLength(784);
    expect(new Set(ds.mean).size).toBe(1);
    expect(new Set(ds.std).size).toBe(1);
    expect(ds.mean[0]).toBeCloseTo(0.131, 2);
    expect(ds.std[0]).toBeCloseTo(0.309, 2);
  });

  it("takes the creator's input scaling over the dataset's default, and records it in the spec", async () => {
    const global = (await (await post({ dataset: "iris", normalisation: "global" })).json()) as Job;
    expect(global.spec.dataset.normalisation).toBe("global");
    expect(new Set(global.spec.dataset.mean).size).toBe(1);
    expect(new Set(global.spec.dataset.std).size).toBe(1);
    const perFeature = (await (await post({ dataset: "iris", normalisation: "per-feature" })).json()) as Job;
    expect(perFeature.spec.dataset.normalisation).toBe("per-feature");
    expect(new Set(perFeature.spec.dataset.mean).size).toBe(4);
    // The global pair follows from the per-feature statistics: the mean of the column means.
    const m = perFeature.spec.dataset.mean.reduce((a, b) => a + b, 0) / 4;
    expect(global.spec.dataset.mean[0]).toBeCloseTo(m, 12);
  });

  it("refuses bad input with 4xx naming the field, before anything is stored", async () => {
    const before = await db.prisma.job.count();
    const cases: [unknown, number, RegExp][] = [
      [{ dataset: "iris", extra: true }, 400, /extra|Unrecognized/i],
      [{ dataset: "iris", hyper: { rounds: 0 } }, 400, /hyper\.rounds/],
      [{ dataset: "iris", hyper: { learningRate: -1 } }, 400, /hyper\.learningRate/],
      [{ dataset: "iris", model: { activation: "sigmoid" } }, 400, /model\.activation/],
      [{ dataset: "iris", redundancy: 9 }, 400, /redundancy/],
      [{ dataset: "iris", minTier: 4 }, 400, /minTier/],
      [{ dataset: "iris", fee: "-5" }, 400, /fee/],
      [{ dataset: "iris", hyper: { shards: 200 } }, 400, /hyper\.shards/],
      [{ dataset: "cifar" }, 422, /dataset/],
      [{ dataset: "iris", normalisation: "zscore" }, 400, /normalisation/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect((await errorOf(res)).message).toMatch(message);
    }
    expect(await db.prisma.job.count()).toBe(before);
    const anon = await jobs.POST(req("/api/jobs", { method: "POST", body: "{{{", headers: { "content-type": "application/json" } }), noCtx);
    expect(anon.status).toBe(401);
  });

  it("becomes active only for a task with its spec hash, its creator and its fragment count; cancelled follows the chain", async () => {
    const j = (await (await post({ dataset: "iris", hyper: { rounds: 2, shards: 3 } })).json()) as Job;
    const other = keccak256(stringToBytes("another spec"));
    await createTask(bob, j.specHash, 6); // another creator
    await createTask(alice, other, 6); // another spec hash
    await createTask(alice, j.specHash, 5); // another fragment count
    await createTask(alice, j.specHash, 6, 0n, 2); // another min tier
    await index();
    expect((await get(j.id)).status).toBe("awaiting_chain");

    await createTask(alice, j.specHash, 6);
    const taskId = await readCreatedId();
    expect((await get(j.id)).status).toBe("awaiting_chain"); // not mirrored yet
    await index();
    const active = await get(j.id);
    expect(active).toMatchObject({ status: "active", taskId: taskId.toString() });
    const list = (await (await jobs.GET(req(`/api/jobs?creator=${alice.address}&status=active`), noCtx)).json()) as { jobs: { id: string; status: string; specHash: string }[] };
    expect(list.jobs.map((x) => x.id)).toEqual([j.id]);

    const hash = await chain.client.writeContract({ account: alice, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "cancelTask", args: [taskId] });
    await chain.client.waitForTransactionReceipt({ hash });
    await index();
    expect((await get(j.id)).status).toBe("cancelled");
  });

  it("its creator re-prices a job stuck before its chain task (the spec hash follows the fee) or discards it; nobody else can, nor once it has a task", async () => {
    const patch = (id: string, json: unknown, c = cookie) => job.PATCH(req(`/api/jobs/${id}`, { method: "PATCH", json, cookie: c }), params({ id }));
    const del = (id: string, c = cookie) => job.DELETE(req(`/api/jobs/${id}`, { method: "DELETE", cookie: c }), params({ id }));
    const j = (await (await post({ dataset: "iris", hyper: { rounds: 1, shards: 2 }, fee: "5000" })).json()) as Job;
    const bobCookie = await signInCookie(bob);
    expect((await patch(j.id, { fee: "0" }, bobCookie)).status).toBe(403);
    expect((await patch(j.id, { fee: "-1" })).status).toBe(400);

    const repriced = (await (await patch(j.id, { fee: "0" })).json()) as Job;
    expect(repriced.createTask.fee).toBe("0");
    expect(repriced.specHash).not.toBe(j.specHash);
    expect(JSON.parse(repriced.canonicalSpec).fee).toBe("0");
    // A task for the old price activates nothing; one for the new price does.
    await createTask(alice, j.specHash, 2, 0n);
    await index();
    expect((await get(j.id)).status).toBe("awaiting_chain");
    await createTask(alice, repriced.specHash, 2, 0n);
    await index();
    expect((await get(j.id)).status).toBe("active");
    expect(await errorOf(await patch(j.id, { fee: "1" }))).toMatchObject({ code: "conflict" });
    expect((await del(j.id)).status).toBe(409);

    const other = (await (await post({ dataset: "iris", hyper: { rounds: 1, shards: 2, seed: 99 } })).json()) as Job;
    expect((await del(other.id, bobCookie)).status).toBe(403);
    const discarded = (await (await del(other.id)).json()) as Job;
    expect(discarded.status).toBe("expired");
    expect((await get(other.id)).status).toBe("expired");
  });

  it("admin route: only an ADMIN_ADDRESSES session may mark a job failed", async () => {
    const fail = await import("@/app/api/admin/jobs/[id]/fail/route");
    const j = (await (await post({ dataset: "iris", hyper: { rounds: 1, shards: 2 } })).json()) as Job;
    const call = (c?: string) => fail.POST(req(`/api/admin/jobs/${j.id}/fail`, { method: "POST", cookie: c }), params({ id: j.id }));
    expect((await call()).status).toBe(401);
    expect((await call(cookie)).status).toBe(403); // alice is not an admin
    const admin = await signInCookie(bob);
    const ok = await call(admin);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Job).status).toBe("failed");
    expect((await call(admin)).status).toBe(409);
  });

  const created = async (json: unknown, c = cookie) => {
    const res = await post(json, c);
    expect(res.status, JSON.stringify(json)).toBe(201);
    return (await res.json()) as Job;
  };
  const blobsOf = (j: Job) => [...j.spec.shards.map((s) => s.sha256), j.spec.heldOut.sha256];
  /** Every blob file under BLOB_DIR (name → bytes). */
  const blobFiles = async () => {
    const out = new Map<string, number>();
    for (const e of await readdir(blobDir, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) out.set(e.name, (await stat(path.join(e.parentPath, e.name))).size);
    }
    return out;
  };
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

  it("two MNIST jobs on the same dataset and split write the shards once: the second names the first one's blobs and cuts and writes nothing", async () => {
    const before = await blobFiles();
    const first = await created({ dataset: "mnist", hyper: { seed: 5 } });
    const afterFirst = await blobFiles();
    // 8 new shards of 8,000 rows × 785 values (≈ 25 MB); MNIST's fixed held-out split is the one the earlier job wrote.
    expect(afterFirst.size - before.size).toBe(8);
    expect(total(afterFirst) - total(before)).toBeGreaterThan(25_000_000);
    const second = await created({ dataset: "mnist", hyper: { seed: 5, rounds: 2 }, model: { hidden: [32] } });
    expect(second.spec.shards).toEqual(first.spec.shards);
    expect(second.spec.heldOut).toEqual(first.spec.heldOut);
    expect(second.specHash).not.toBe(first.specHash);
    expect(await blobFiles()).toEqual(afterFirst); // the blob count and bytes do not grow
    // Not even a write that finds the blob there: the store is not asked to put a shard (only, once per
    // process and database client, the MNIST dataset blob itself: ensureBuiltinDataset's check).
    const fs = fsBlobStore(blobDir);
    const puts: string[] = [];
    const counting: BlobStore = { ...fs, put: async (bytes, sha) => { const r = await fs.put(bytes, sha); puts.push(r.sha256); return r; } };
    const { createJob, createJobSchema } = await import("@/lib/jobs");
    const third = await createJob({ db: db.prisma, store: counting, chainId: 31337 }, alice.address, createJobSchema.parse({ dataset: "mnist", hyper: { seed: 5 } }));
    const datasetBlob = (await db.prisma.dataset.findFirstOrThrow({ where: { name: "mnist", source: "builtin" } })).sha256;
    expect(puts.filter((sha) => sha !== datasetBlob)).toEqual([]);
    expect((third.spec as Job["spec"]).shards).toEqual(first.spec.shards);
  });

  it("a job with no chain task older than JOB_AWAITING_CHAIN_TTL expires and its own blobs are deleted; blobs another job names stay, and a funded job is kept", async () => {
    const { expireStaleJobs } = await import("@/lib/jobs");
    const store = fsBlobStore(blobDir);
    const lone = await created({ dataset: "iris", hyper: { rounds: 1, shards: 3, seed: 101 } });
    const shared = await created({ dataset: "iris", hyper: { rounds: 1, shards: 3, seed: 102 } });
    const twin = await created({ dataset: "iris", hyper: { rounds: 2, shards: 3, seed: 102 } }); // same split, a day younger
    const funded = await created({ dataset: "iris", hyper: { rounds: 1, shards: 3, seed: 103 } });
    expect(blobsOf(twin)).toEqual(blobsOf(shared));
    await createTask(alice, funded.specHash, funded.fragmentCount);
    await index(); // mirrored, not yet followed by the job: expiry follows the mirror first
    const dayAgo = new Date(Date.now() - 86_400_000 - 60_000);
    await db.prisma.job.updateMany({ where: { id: { in: [lone.id, shared.id, funded.id] } }, data: { createdAt: dayAgo } });
    const datasetBlob = (await db.prisma.dataset.findFirstOrThrow({ where: { name: "iris", source: "builtin" } })).sha256;

    const r = await expireStaleJobs({ db: db.prisma, store }, { ttlMs: 86_400_000 });
    expect([...r.expired].sort()).toEqual([lone.id, shared.id].sort());
    expect([...r.deletedBlobs].sort()).toEqual([...new Set(blobsOf(lone))].sort());
    for (const sha of blobsOf(lone)) expect(await store.has(sha)).toBe(false);
    for (const sha of [...blobsOf(shared), datasetBlob, ...blobsOf(funded)]) expect(await store.has(sha)).toBe(true);
    expect((await get(lone.id)).status).toBe("expired");
    expect((await get(shared.id)).status).toBe("expired");
    expect((await get(twin.id)).status).toBe("awaiting_chain");
    expect((await get(funded.id)).status).toBe("active");
    expect(await expireStaleJobs({ db: db.prisma, store }, { ttlMs: 86_400_000 })).toEqual({ expired: [], deletedBlobs: [] });

    // Once the twin expires too, nothing names the shared blobs: they go.
    await db.prisma.job.update({ where: { id: twin.id }, data: { createdAt: dayAgo } });
    expect(await expireStaleJobs({ db: db.prisma, store }, { ttlMs: 86_400_000 })).toEqual({ expired: [twin.id], deletedBlobs: [...new Set(blobsOf(twin))].sort() });
    // A new job on an expired job's split cuts and writes its blobs again.
    const again = await created({ dataset: "iris", hyper: { rounds: 1, shards: 3, seed: 101 } });
    expect(blobsOf(again)).toEqual(blobsOf(lone));
    for (const sha of blobsOf(again)) expect(await store.has(sha)).toBe(true);
  });

  it("rate-limits job creation per account: of N + 1 creations at once the last gets 429 rate_limited, and a refused creation stores nothing", async () => {
    const { rateRules } = await import("@/lib/auth");
    const n = rateRules.jobs.limit;
    const carol = await signInCookie(privateKeyToAccount(generatePrivateKey()));
    const carolJobs = () => db.prisma.job.count({ where: { creator: { not: alice.address.toLowerCase() }, spec: { path: ["hyper", "seed"], equals: 77 } } });
    const burst = await Promise.all(Array.from({ length: n + 1 }, () => post({ dataset: "iris", hyper: { rounds: 1, shards: 2, seed: 77 } }, carol)));
    expect(burst.map((r) => r.status).sort()).toEqual([...Array(n).fill(201), 429]);
    expect(await carolJobs()).toBe(n);
    const jobsBefore = await db.prisma.job.count();
    const filesBefore = await blobFiles();
    const refused = await post({ dataset: "iris", hyper: { rounds: 1, shards: 2, seed: 78 } }, carol); // a new split: it would write blobs
    expect(refused.status).toBe(429);
    expect((await errorOf(refused)).code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await db.prisma.job.count()).toBe(jobsBefore);
    expect(await blobFiles()).toEqual(filesBefore);
    // The budget is the account's: alice still creates jobs.
    expect((await post({ dataset: "iris", hyper: { rounds: 1, shards: 2, seed: 77 } })).status).toBe(201);
  });

  it("answers 404 for an unknown job and 400 for a malformed id or query", async () => {
    const id = "00000000-0000-4000-8000-00000000abcd";
    expect((await job.GET(req(`/api/jobs/${id}`), params({ id }))).status).toBe(404);
    expect((await job.GET(req("/api/jobs/nope"), params({ id: "nope" }))).status).toBe(400);
    expect((await jobs.GET(req("/api/jobs?status=running"), noCtx)).status).toBe(400);
  });
});
