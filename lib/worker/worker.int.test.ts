import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { delegationDomain, delegationTypes } from "@/lib/auth/delegation";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { runIndexer } from "@/lib/indexer/indexer";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { serveRoutes } from "@/test/support/route-server";
import { signInCookie } from "@/test/support/sign-in";

// The CLI worker as a real process against the real API (route handlers over HTTP, Postgres, anvil):
// it proves capacity, claims the job's fragments, computes them, signs with a delegated session key,
// submits; and Ctrl-C during a long fragment gives the lease back.
describe("CLI worker against the fragments API (Postgres + anvil + HTTP)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let chain: ChainCtx;
  let blobDir: string;
  let cacheDir: string;
  let cookie: string;
  let nodeId: bigint;
  let server: { url: string; close(): Promise<void> };
  let startActiveJobs: typeof import("@/lib/scheduler/rounds").startActiveJobs;
  const alice = privateKeyToAccount(generatePrivateKey());
  const sessionKey = generatePrivateKey();

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    chain = await connectChain(anvil.rpcUrl);
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-worker-blobs-"));
    cacheDir = await mkdtemp(path.join(tmpdir(), "corex-worker-cache-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    const r = {
      claim: await import("@/app/api/fragments/claim/route"),
      heartbeat: await import("@/app/api/fragments/[id]/heartbeat/route"),
      result: await import("@/app/api/fragments/[id]/result/route"),
      abandon: await import("@/app/api/fragments/[id]/abandon/route"),
      blob: await import("@/app/api/blobs/[sha256]/route"),
      challenge: await import("@/app/api/compute-poc/challenge/route"),
      answer: await import("@/app/api/compute-poc/[id]/answer/route"),
    };
    startActiveJobs = (await import("@/lib/scheduler/rounds")).startActiveJobs;
    const id = "([0-9a-f-]{36})";
    server = await serveRoutes([
      ["POST", /^\/api\/fragments\/claim$/, r.claim.POST as never],
      ["POST", new RegExp(`^/api/fragments/${id}/heartbeat$`), r.heartbeat.POST as never],
      ["POST", new RegExp(`^/api/fragments/${id}/result$`), r.result.POST as never],
      ["POST", new RegExp(`^/api/fragments/${id}/abandon$`), r.abandon.POST as never],
      ["GET", /^\/api\/blobs\/([0-9a-f]{64})$/, r.blob.GET as never, ["sha256"]],
      ["POST", /^\/api\/compute-poc\/challenge$/, r.challenge.POST as never],
      ["POST", new RegExp(`^/api/compute-poc/${id}/answer$`), r.answer.POST as never],
    ]);

    await chain.client.setBalance({ address: alice.address, value: 10n ** 19n });
    const hash = await chain.client.writeContract({ account: alice, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "registerNode", args: [1, "corex://test/cli"] });
    await chain.client.waitForTransactionReceipt({ hash });
    await index();
    nodeId = (await db.prisma.node.findFirstOrThrow({ where: { owner: alice.address.toLowerCase() } })).nodeId;
    cookie = await signInCookie(alice);
    // alice delegates result signing for her node to the worker's session key (one signature)
    const keys = await import("@/app/api/auth/session-keys/route");
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const key = privateKeyToAccount(sessionKey).address;
    const signature = await alice.signTypedData({ domain: delegationDomain(31337), types: delegationTypes, primaryType: "SessionKeyDelegation", message: { sessionKey: key, nodeId, expiresAt: BigInt(expiresAt) } });
    const res = await keys.POST(req("/api/auth/session-keys", { method: "POST", json: { sessionKey: key, nodeId: String(nodeId), expiresAt, signature }, cookie }), noCtx);
    expect(res.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await anvil?.stop();
    for (const d of [blobDir, cacheDir]) if (d) await rm(d, { recursive: true, force: true });
  });

  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });

  /** An Iris job (or another dataset and model), active on chain, with its round 0 open. */
  async function activeJob(hyper: Record<string, number>, hidden = [8], what: { dataset: string; model: Record<string, unknown> } = { dataset: "iris", model: { hidden, activation: "tanh" } }): Promise<string> {
    const jobs = await import("@/app/api/jobs/route");
    const jobRoute = await import("@/app/api/jobs/[id]/route");
    const res = await jobs.POST(req("/api/jobs", { method: "POST", json: { dataset: what.dataset, redundancy: 1, hyper, model: what.model }, cookie }), noCtx);
    expect(res.status).toBe(201);
    const job = (await res.json()) as { id: string; specHash: Hex; fragmentCount: number };
    const hash = await chain.client.writeContract({ account: alice, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "createTask", args: [job.specHash, job.fragmentCount, 0n, 0, "0x0000000000000000000000000000000000000000", 0] });
    await chain.client.waitForTransactionReceipt({ hash });
    await index();
    expect(((await (await jobRoute.GET(req(`/api/jobs/${job.id}`), params({ id: job.id }))).json()) as { status: string }).status).toBe("active");
    await startActiveJobs({ db: db.prisma, store: fsBlobStore(blobDir), chainId: 31337 });
    return job.id;
  }

  function runCli(args: string[]) {
    // node with tsx as a loader (not the tsx CLI, which relays signals on its own terms)
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--key", sessionKey, "--api", server.url, "--node", String(nodeId), "--chain-id", "31337", "--cache", cacheDir, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, exited, output: () => out };
  }

  it("proves capacity, then computes and submits every fragment of round 0 signed with the session key", async () => {
    const jobId = await activeJob({ rounds: 1, shards: 2, localSteps: 10, batch: 8, seed: 3 });
    const cli = runCli(["--poc", "32", "--once"]);
    const code = await cli.exited;
    expect(cli.output()).toContain("Compute-PoC passed: n=32");
    expect(code, cli.output()).toBe(0);
    const results = await db.prisma.fragmentResult.findMany({ where: { jobId } });
    expect(results).toHaveLength(2);
    expect(new Set(results.map((x) => x.signer))).toEqual(new Set([privateKeyToAccount(sessionKey).address.toLowerCase()]));
    expect(cli.output()).toMatch(/stopped: 2 fragments submitted/);
    const poc = await db.prisma.pocAttempt.findMany({ where: { nodeId } });
    expect(poc.map((p) => p.outcome)).toEqual(["passed"]);
  }, 120_000);

  it("computes a language-model (GPT) job's fragments on the WASM trainer: the deltas equal the CPU reference's bit for bit", async () => {
    const jobId = await activeJob({ rounds: 1, shards: 2, localSteps: 4, batch: 4, learningRate: 0.01, seed: 8 }, [], { dataset: "names", model: { kind: "gpt", layers: 1, heads: 2, dim: 8, context: 6 } });
    const cli = runCli(["--poc", "0", "--once"]);
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output()).toMatch(/stopped: 2 fragments submitted/);
    const { referenceFragment, specOf, encodeFloat32 } = await import("@/lib/protocol");
    const { createHash } = await import("node:crypto");
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    const spec = specOf(job);
    const store = fsBlobStore(blobDir);
    for (const f of await db.prisma.fragment.findMany({ where: { jobId }, orderBy: { shard: "asc" } })) {
      const [result] = await db.prisma.fragmentResult.findMany({ where: { fragmentId: f.id } });
      const ref = referenceFragment(spec, f.round, f.shard, (await store.get(f.weightsSha256))!, (await store.get(f.shardSha256))!);
      expect(result!.deltaSha256).toBe(createHash("sha256").update(encodeFloat32(ref.delta)).digest("hex"));
      expect(result!.loss).toBe(Math.fround(ref.meanLoss));
    }
  }, 120_000);

  it("Ctrl-C during a long fragment abandons its lease: the slot is open again at once", async () => {
    const jobId = await activeJob({ rounds: 1, shards: 1, localSteps: 1000, batch: 1024, seed: 4 }, [256, 256]);
    // A 6 s lease: the worker heartbeats every 2 s, so the wait below is short.
    await db.prisma.replicaSlot.updateMany({ where: { jobId }, data: { leaseMs: 6_000 } });
    const cli = runCli(["--poc", "0"]);
    const deadline = Date.now() + 60_000;
    while (!/leased fragment/.test(cli.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(cli.output()).toMatch(/leased fragment/);
    const slot = await db.prisma.replicaSlot.findFirstOrThrow({ where: { jobId } });
    expect(slot.state).toBe("leased");
    // Wait until it is inside the compute (1000 steps take tens of seconds) with its event loop alive: a
    // heartbeat has extended the lease. A synchronous WASM chunk loop once starved the event loop there,
    // so Ctrl-C (and heartbeats) waited for the whole fragment.
    const beatBy = Date.now() + 30_000;
    while ((await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: slot.id } })).leaseDeadline!.getTime() <= slot.leaseDeadline!.getTime() && Date.now() < beatBy) await new Promise((r) => setTimeout(r, 100));
    expect((await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: slot.id } })).leaseDeadline!.getTime()).toBeGreaterThan(slot.leaseDeadline!.getTime());
    cli.child.kill("SIGINT");
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output(), cli.output()).toMatch(/abandoned round 0 shard 0/);
    const after = await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: slot.id } });
    expect(after).toMatchObject({ state: "open", nodeId: null });
  }, 120_000);
});
