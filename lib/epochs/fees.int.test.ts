// A cancelled job pays accepted work first (issue 11), through the epoch root (#19 item 2 / F10), on a
// real anvil + Postgres: workers train part of a fee-paying job through the route handlers, the creator
// asks TaskManager to cancel, the indexer mirrors the request, the epochs loop's settlement closes the
// task and stops the job's training (once, with two instances settling at the same time), and the next
// epoch's fee leaves pay the accepted work's owners and refund the creator, each claimed once.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createWalletClient, http, parseEther, toHex, type Abi, type Address, type PublicClient } from "viem";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { createPrismaClient, type PrismaClient } from "@/lib/db/prisma-client";
import { runIndexer } from "@/lib/indexer/indexer";
import type { TrainingSpec } from "@/lib/protocol";
import { ANVIL_DEPLOYER_KEY } from "@/scripts/contracts/deploy";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { CHALLENGE_SECONDS, connectChain, Workload, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { loadFragmentRoutes, SimWorker, workerAuth } from "@/test/support/fragment-workers";
import { signInCookie } from "@/test/support/sign-in";
import type { EpochChain } from "./chain";

const keyOf = (i: number) => toHex(mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: i }).getHdKey().privateKey!);
const CXT = (n: string) => parseEther(n);

describe("a cancelled job pays accepted work first (TaskManager.settleCancel from the epochs loop)", () => {
  let anvil: AnvilInstance;
  let ctx: ChainCtx;
  let db: TestDatabase;
  let db2: PrismaClient;
  let chain: EpochChain;
  let blobDir: string;
  let fees: typeof import("./fees");
  let epochs: typeof import("./index");
  let sch: typeof import("@/lib/scheduler");
  let routes: Awaited<ReturnType<typeof loadFragmentRoutes>>;
  const store = () => fsBlobStore(blobDir);
  const schedulerCtx = () => ({ db: db.prisma, store: store(), chainId: 31337 });
  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: ctx.contracts, stopAtHead: true, log: () => {} });
  const tick = async () => {
    await index();
    return sch.coordinatorTick(schedulerCtx(), { rpcUrl: anvil.rpcUrl, taskManager: ctx.addr.tasks });
  };
  const balance = (a: Address) => ctx.read<bigint>(ctx.addr.token, cxtTokenAbi as Abi, "balanceOf", [a]);
  const task = (id: bigint) => ctx.read<{ status: number; fee: bigint; paid: bigint; refunded: bigint }>(ctx.addr.tasks, taskManagerAbi as Abi, "getTask", [id]);
  /** Sends every unclaimed fee / refund leaf of `account` in the latest final epoch (TaskManager pays the leaf's account). */
  async function claimFees(account: Address) {
    const c = await epochs.getClaimable(db.prisma, chain, account);
    for (const f of c.fees.filter((x) => BigInt(x.claimable) > 0n)) {
      const args = f.kind === "fee" ? [BigInt(c.epoch!), BigInt(f.taskId), account, BigInt(f.cumulativeAmount), f.proof] : [BigInt(c.epoch!), BigInt(f.taskId), BigInt(f.cumulativeAmount), f.proof];
      await ctx.tx(ctx.accounts[0], ctx.addr.tasks, taskManagerAbi as Abi, f.kind === "fee" ? "claimFee" : "claimRefund", args);
    }
    return c;
  }

  async function registerNode(owner: PrivateKeyAccount): Promise<bigint> {
    await ctx.client.setBalance({ address: owner.address, value: 10n ** 19n });
    await ctx.client.impersonateAccount({ address: owner.address });
    await ctx.tx(owner.address, ctx.addr.staking, stakingAbi as Abi, "registerNode", [1, "ipfs://worker"]);
    await ctx.client.stopImpersonatingAccount({ address: owner.address });
    return ctx.read<bigint>(ctx.addr.staking, stakingAbi as Abi, "nodeCount");
  }

  beforeAll(async () => {
    anvil = await startAnvil();
    ctx = await connectChain(anvil.rpcUrl);
    db = await createTestDatabase();
    db2 = createPrismaClient(db.url);
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-fees-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    fees = await import("./fees");
    epochs = await import("./index");
    sch = await import("@/lib/scheduler");
    routes = await loadFragmentRoutes();
    chain = {
      chainId: ctx.chainId,
      client: ctx.client as unknown as PublicClient,
      wallet: createWalletClient({ account: privateKeyToAccount(ANVIL_DEPLOYER_KEY), chain: ctx.client.chain, transport: http(anvil.rpcUrl) }),
      addresses: { ledger: ctx.addr.ledger, staking: ctx.addr.staking, tasks: ctx.addr.tasks, token: ctx.addr.token },
    };
    // A first epoch claimed by everyone, so the creator holds CXT to escrow (there is no premint).
    await new Workload(ctx, 11).bootstrap();
  });
  afterAll(async () => {
    await db2?.$disconnect();
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  it("pays the accepted work's owners by their accepted work through the next epoch, refunds the creator the rest, stops the job, and never pays twice", async () => {
    const creator = privateKeyToAccount(keyOf(1));
    const fee = CXT("60");
    const jobsRoute = await import("@/app/api/jobs/route");
    const res = await jobsRoute.POST(
      req("/api/jobs", {
        method: "POST",
        cookie: await signInCookie(creator),
        json: { dataset: "iris", model: { hidden: [8], activation: "tanh" }, hyper: { rounds: 2, shards: 2, localSteps: 5, batch: 16, learningRate: 0.1, seed: 3 }, spotCheckRate: 0, fee: fee.toString() },
      }),
      noCtx,
    );
    expect(res.status).toBe(201);
    const job = (await res.json()) as { id: string; spec: TrainingSpec; specHash: `0x${string}`; fragmentCount: number };
    expect(job.fragmentCount).toBe(4);
    await ctx.tx(creator.address, ctx.addr.token, cxtTokenAbi as Abi, "approve", [ctx.addr.tasks, fee]);
    await ctx.tx(creator.address, ctx.addr.tasks, taskManagerAbi as Abi, "createTask", [job.specHash, job.fragmentCount, fee, 0, "0x0000000000000000000000000000000000000000", 0]);
    const taskId = await ctx.read<bigint>(ctx.addr.tasks, taskManagerAbi as Abi, "taskCount");

    // Three owners; round 0 (2 fragments × k = 2): w1 computes a replica of both, w2 and w3 one each.
    const owners = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()));
    const workers: SimWorker[] = [];
    for (const o of owners) workers.push(new SimWorker(routes, store(), o, await registerNode(o)));
    const [w1, w2, w3] = workers as [SimWorker, SimWorker, SimWorker];
    await tick();
    expect(await db.prisma.trainingRun.findUnique({ where: { jobId: job.id } })).toMatchObject({ status: "training", round: 0 });
    expect(await w1.step(job.spec, { max: 2 })).toBe(2);
    expect(await w2.step(job.spec)).toBe(1);
    expect(await w3.step(job.spec)).toBe(1);
    await tick();
    expect(await db.prisma.fragment.count({ where: { jobId: job.id, status: "accepted" } })).toBe(2);
    expect(await db.prisma.round.count({ where: { jobId: job.id } })).toBe(2); // round 1 opened
    // w2 holds a live lease on a round-1 replica when the creator cancels
    const [held] = await w2.claim(1);
    expect(held).toBeDefined();

    const before = new Map<Address, bigint>();
    for (const a of [creator.address, ...owners.map((o) => o.address)]) before.set(a, await balance(a));
    await ctx.tx(creator.address, ctx.addr.tasks, taskManagerAbi as Abi, "cancelTask", [taskId]);
    expect((await task(taskId)).status).toBe(1); // only requested: the escrow still holds the fee
    await index();
    // the job reads as cancelled as soon as the request is mirrored (training stops before the escrow settles)
    const jobRoute = await import("@/app/api/jobs/[id]/route");
    expect(await (await jobRoute.GET(req(`/api/jobs/${job.id}`), params({ id: job.id }))).json()).toMatchObject({ status: "cancelled" });

    // two instances settle at once: one settlement
    const [a, b] = await Promise.all([fees.settleCancelledJobs(db.prisma, chain), fees.settleCancelledJobs(db2, chain)]);
    expect([...a, ...b].map((r) => r.status).sort()).toEqual(["settled", "skipped"]);
    expect((await task(taskId)).status).toBe(3);

    // a second pass before the mirror sees the settlement reads the chain and sends nothing
    expect(await fees.settleCancelledJobs(db.prisma, chain)).toEqual([expect.objectContaining({ status: "skipped", reason: `task ${taskId} is no longer open on the chain` })]);
    // Settling only closed the task: the escrow is whole until the next epoch's fee leaves are claimed.
    expect(await balance(ctx.addr.tasks)).toBe(fee);
    await index();
    await epochs.ingestContributions(db.prisma, 31337, new Date(0));
    expect(await epochs.closeEpoch(db.prisma, chain)).toMatchObject({ status: "posted", feeLeaves: 4 });
    // In its challenge window nothing is claimable; once final each account claims its leaf.
    expect((await epochs.getClaimable(db.prisma, chain, creator.address)).fees).toEqual([]);
    await ctx.advance(CHALLENGE_SECONDS + 1);
    for (const a of [creator.address, ...owners.map((o) => o.address)]) await claimFees(a);
    // 2 of 4 fragments accepted: half the fee for accepted work, split by accepted work units
    // (w1 computed 2 accepted results, w2 and w3 one each); the creator gets the other half back.
    const gain = async (acct: Address) => (await balance(acct)) - before.get(acct)!;
    expect(await gain(owners[0]!.address)).toBe(CXT("15"));
    expect(await gain(owners[1]!.address)).toBe(CXT("7.5"));
    expect(await gain(owners[2]!.address)).toBe(CXT("7.5"));
    expect(await gain(creator.address)).toBe(CXT("30"));
    expect(await balance(ctx.addr.tasks)).toBe(0n);

    // training stopped: nothing to claim, the live lease is released, its result is refused
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("cancelled");
    expect(await db.prisma.replicaSlot.count({ where: { jobId: job.id, state: { in: ["open", "leased"] } } })).toBe(0);
    expect(await w1.claim(2)).toEqual([]);
    expect(await w3.claim(2)).toEqual([]);
    const hb = await routes.heartbeat.POST(
      req(`/api/fragments/${held!.slotId}/heartbeat`, { method: "POST", json: { nodeId: w2.nodeId.toString() }, headers: { "x-corex-worker": await workerAuth(owners[1]!, w2.nodeId) } }),
      params({ id: held!.slotId }),
    );
    expect(hb.status).toBe(409);
    const late = await w2.compute(held!, job.spec);
    expect((await w2.submit(held!, late.delta, late.meanLoss)).status).toBe(409);

    // once the mirror has the settlement there is nothing to settle; nor do the leaves pay again
    await tick();
    expect(await fees.settleCancelledJobs(db.prisma, chain)).toEqual([]);
    expect((await claimFees(creator.address)).feesClaimable).toBe("0");
    // the mirror has the claims, each with its epoch, and the job's fees per contributor
    expect(await db.prisma.task.findFirstOrThrow({ where: { taskId } })).toMatchObject({ status: "cancelled" });
    expect((await db.prisma.task.findFirstOrThrow({ where: { taskId } })).paid.toFixed()).toBe(CXT("30").toString());
    expect((await db.prisma.task.findFirstOrThrow({ where: { taskId } })).refunded.toFixed()).toBe(CXT("30").toString());
    expect(await db.prisma.taskPayout.count({ where: { taskId, epoch: 2n } })).toBe(4);
    const jobFees = await epochs.getJobFees(db.prisma, job.id);
    expect(jobFees.contributors.map((c) => [c.kind, c.account, c.earned, c.owed])).toEqual([
      ...owners.map((o) => ["fee", o.address.toLowerCase(), (o === owners[0] ? CXT("15") : CXT("7.5")).toString(), "0"]).sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
      ["refund", creator.address.toLowerCase(), CXT("30").toString(), "0"],
    ]);
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("cancelled");
    for (const acct of before.keys()) expect(await gain(acct)).toBe(acct === creator.address ? CXT("30") : acct === owners[0]!.address ? CXT("15") : CXT("7.5"));
    const events = await ctx.client.getContractEvents({ address: ctx.addr.tasks, abi: taskManagerAbi, eventName: "TaskCancelled", fromBlock: 0n });
    expect(events).toHaveLength(1);
    expect(await ctx.client.getContractEvents({ address: ctx.addr.tasks, abi: taskManagerAbi, eventName: "FeeClaimed", fromBlock: 0n })).toHaveLength(3);
    // the relayer (which also pushes reward claims) finds no fee leaf left to send
    expect((await epochs.relayClaims(db.prisma, chain)).fees).toBe(0);
  });
});
