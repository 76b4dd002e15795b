import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { runIndexer } from "@/lib/indexer/indexer";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { noCtx, req, useAppEnv } from "@/test/support/app-env";
import { connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { startRpcProxy, type RpcProxy } from "@/test/support/rpc-proxy";
import { signInCookie } from "@/test/support/sign-in";

type Scheduler = typeof import("@/lib/scheduler");

describe("completing a run on chain (TaskManager.complete) when the receipt is lost (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let proxy: RpcProxy;
  let db: TestDatabase;
  let chain: ChainCtx;
  let blobDir: string;
  let sch: Scheduler;
  const alice = privateKeyToAccount(generatePrivateKey());
  const ctx = () => ({ db: db.prisma, store: fsBlobStore(blobDir), chainId: 31337 });
  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });
  const complete = () => sch.completeOnChain(ctx(), { rpcUrl: proxy.url, taskManager: chain.addr.tasks });
  const taskOf = async (taskId: bigint) => (await chain.client.readContract({ address: chain.addr.tasks, abi: taskManagerAbi, functionName: "getTask", args: [taskId] })) as { status: number; resultHash: Hex };

  beforeAll(async () => {
    anvil = await startAnvil();
    proxy = await startRpcProxy(anvil.rpcUrl);
    db = await createTestDatabase();
    chain = await connectChain(anvil.rpcUrl);
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-complete-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    sch = await import("@/lib/scheduler");
    await chain.client.setBalance({ address: alice.address, value: 10n ** 19n });
  });
  afterAll(async () => {
    await proxy?.close();
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  /** A job whose training is done: active, its task open on chain, its run `completing`. */
  async function finishedRun(): Promise<{ jobId: string; taskId: bigint; final: string }> {
    const jobsRoute = await import("@/app/api/jobs/route");
    const hyper = { rounds: 1, shards: 1, localSteps: 1, batch: 16, learningRate: 0.1, seed: 3 };
    const res = await jobsRoute.POST(req("/api/jobs", { method: "POST", cookie: await signInCookie(alice), json: { dataset: "iris", model: { hidden: [4], activation: "tanh" }, hyper, spotCheckRate: 0 } }), noCtx);
    expect(res.status).toBe(201);
    const j = (await res.json()) as { id: string; specHash: Hex; fragmentCount: number };
    const hash = await chain.client.writeContract({ account: alice, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "createTask", args: [j.specHash, j.fragmentCount, 0n, 0, "0x0000000000000000000000000000000000000000", 0] });
    await chain.client.waitForTransactionReceipt({ hash });
    await index();
    await sch.coordinatorTick(ctx(), { rpcUrl: anvil.rpcUrl, taskManager: chain.addr.tasks });
    const run = await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId: j.id } });
    expect(run.status).toBe("training");
    const round = await db.prisma.round.findFirstOrThrow({ where: { jobId: j.id } });
    await db.prisma.trainingRun.update({ where: { jobId: j.id }, data: { status: "completing", finalWeightsSha256: round.weightsSha256 } });
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: j.id } });
    return { jobId: j.id, taskId: job.taskId!, final: round.weightsSha256 };
  }

  it("a completion whose receipt was lost is kept: never sent twice while pending, recorded once it lands", async () => {
    const { jobId, taskId, final } = await finishedRun();
    // the RPC loses every receipt after the transaction went out, and the transaction stays pending
    proxy.setFaults({ rate: 1, kinds: ["503"], methods: ["eth_getTransactionReceipt"] });
    await chain.client.setAutomine(false);
    try {
      await expect(complete()).rejects.toThrow();
      proxy.setFaults({ rate: 0 });
      // kept: the run still completing, with the hash of the transaction that went out
      expect(await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId } })).toMatchObject({ status: "completing", completeTx: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
      expect((await chain.client.getTxpoolStatus()).pending).toBe(1);
      // the next pass, the transaction still pending: no second `complete` (it would revert and pay gas)
      const again = await Promise.race([complete(), new Promise<"stuck">((r) => setTimeout(() => r("stuck"), 20_000))]);
      expect(again).toEqual([]);
      expect((await chain.client.getTxpoolStatus()).pending).toBe(1);
    } finally {
      proxy.setFaults({ rate: 0 });
      await chain.client.mine({ blocks: 1 });
      await chain.client.setAutomine(true);
    }
    expect(await taskOf(taskId)).toMatchObject({ status: 2, resultHash: `0x${final}` });
    const landed = await chain.client.getContractEvents({ address: chain.addr.tasks, abi: taskManagerAbi, eventName: "TaskCompleted", fromBlock: 0n });
    expect(landed).toHaveLength(1);

    // once it landed, the next pass records it: the run is completed with that transaction
    expect(await complete()).toEqual([landed[0]!.transactionHash]);
    expect(await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId } })).toMatchObject({ status: "completed", completeTx: landed[0]!.transactionHash });
    expect(await complete()).toEqual([]);
    await index();
    expect((await sch.coordinatorTick(ctx(), { rpcUrl: anvil.rpcUrl, taskManager: chain.addr.tasks })).completed).toEqual([]);
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).status).toBe("completed");
  });
});
