// A published dataset's provider is paid its share (issue 24) — NEEDS THE `fees` BRANCH (contracts v3
// fee leaves, lib/epochs getClaimable / settleCancelledJobs, createTask with provider + share). On a real
// anvil + Postgres: a provider publishes a CSV with a 10 % share; a job on it is trained by simulated
// workers through the route handlers; the epoch's fee leaves pay the provider 10 % of what is paid for
// accepted work — all of the fee when the job completes, half when it is cancelled after half its
// fragments (the creator's refund is not shared) — and the provider's earnings show it paid.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createWalletClient, http, parseEther, toHex, type Abi, type Address, type PublicClient } from "viem";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import type { EpochChain } from "@/lib/epochs/chain";
import { runIndexer } from "@/lib/indexer/indexer";
import type { TrainingSpec } from "@/lib/protocol";
import { ANVIL_DEPLOYER_KEY } from "@/scripts/contracts/deploy";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { APP, noCtx, req, useAppEnv } from "@/test/support/app-env";
import { CHALLENGE_SECONDS, connectChain, Workload, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { loadFragmentRoutes, SimWorker } from "@/test/support/fragment-workers";
import { signInCookie } from "@/test/support/sign-in";

const keyOf = (i: number) => toHex(mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: i }).getHdKey().privateKey!);
const CXT = (n: string) => parseEther(n);
type Job = { id: string; spec: TrainingSpec; specHash: `0x${string}`; fragmentCount: number; createTask: { provider: Address; providerFeeBps: number } };

describe("a published dataset's provider is paid its share through the epoch's fee leaves (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let ctx: ChainCtx;
  let db: TestDatabase;
  let chain: EpochChain;
  let blobDir: string;
  let epochs: typeof import("@/lib/epochs");
  let sch: typeof import("@/lib/scheduler");
  let routes: Awaited<ReturnType<typeof loadFragmentRoutes>>;
  const provider = privateKeyToAccount(generatePrivateKey());
  const creator = privateKeyToAccount(keyOf(1));
  let datasetId: string;
  const store = () => fsBlobStore(blobDir);
  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: ctx.contracts, stopAtHead: true, log: () => {} });
  const tick = async () => {
    await index();
    return sch.coordinatorTick({ db: db.prisma, store: store(), chainId: 31337 }, { rpcUrl: anvil.rpcUrl, taskManager: ctx.addr.tasks });
  };
  const balance = (a: Address) => ctx.read<bigint>(ctx.addr.token, cxtTokenAbi as Abi, "balanceOf", [a]);

  async function claimFees(account: Address) {
    const c = await epochs.getClaimable(db.prisma, chain, account);
    for (const f of c.fees.filter((x) => BigInt(x.claimable) > 0n)) {
      const args = f.kind === "fee" ? [BigInt(c.epoch!), BigInt(f.taskId), account, BigInt(f.cumulativeAmount), f.proof] : [BigInt(c.epoch!), BigInt(f.taskId), BigInt(f.cumulativeAmount), f.proof];
      await ctx.tx(ctx.accounts[0], ctx.addr.tasks, taskManagerAbi as Abi, f.kind === "fee" ? "claimFee" : "claimRefund", args);
    }
  }
  async function registerNode(owner: PrivateKeyAccount): Promise<bigint> {
    await ctx.client.setBalance({ address: owner.address, value: 10n ** 19n });
    await ctx.client.impersonateAccount({ address: owner.address });
    await ctx.tx(owner.address, ctx.addr.staking, stakingAbi as Abi, "registerNode", [1, "ipfs://worker"]);
    await ctx.client.stopImpersonatingAccount({ address: owner.address });
    return ctx.read<bigint>(ctx.addr.staking, stakingAbi as Abi, "nodeCount");
  }
  /** A job on the published dataset, funded with `fee` by createTask naming the provider and its share. */
  async function fundedJob(rounds: number, fee: bigint): Promise<{ job: Job; taskId: bigint }> {
    const jobs = await import("@/app/api/jobs/route");
    const res = await jobs.POST(
      req("/api/jobs", { method: "POST", cookie: await signInCookie(creator), json: { dataset: datasetId, model: { hidden: [8], activation: "tanh" }, hyper: { rounds, shards: 2, localSteps: 5, batch: 8, learningRate: 0.1, seed: 3 }, spotCheckRate: 0, fee: fee.toString() } }),
      noCtx,
    );
    expect(res.status).toBe(201);
    const job = (await res.json()) as Job;
    expect(job.createTask).toMatchObject({ provider: expect.stringMatching(new RegExp(provider.address, "i")), providerFeeBps: 1000 });
    await ctx.tx(creator.address, ctx.addr.token, cxtTokenAbi as Abi, "approve", [ctx.addr.tasks, fee]);
    await ctx.tx(creator.address, ctx.addr.tasks, taskManagerAbi as Abi, "createTask", [job.specHash, job.fragmentCount, fee, 0, job.createTask.provider, job.createTask.providerFeeBps]);
    return { job, taskId: await ctx.read<bigint>(ctx.addr.tasks, taskManagerAbi as Abi, "taskCount") };
  }
  /** Two fresh node owners train every fragment of the job's open round (k = 2: each computes one replica of each). */
  async function trainRound(spec: TrainingSpec) {
    const workers: SimWorker[] = [];
    for (let i = 0; i < 2; i++) {
      const o = privateKeyToAccount(generatePrivateKey());
      workers.push(new SimWorker(routes, store(), o, await registerNode(o)));
    }
    await tick();
    for (const w of workers) expect(await w.step(spec, { max: 2 })).toBe(2);
    await tick();
  }
  /** Closes an epoch over the contributions so far, waits out its challenge window and claims the provider's and creator's leaves. */
  async function payOut(beforeClaims?: () => Promise<void>) {
    await index();
    await epochs.ingestContributions(db.prisma, 31337, new Date(0));
    expect(await epochs.closeEpoch(db.prisma, chain)).toMatchObject({ status: "posted" });
    await ctx.advance(CHALLENGE_SECONDS + 1);
    await beforeClaims?.();
    await claimFees(provider.address);
    await claimFees(creator.address);
    await index();
  }
  /** The exact split against the chain's latest final epoch (what the earnings page shows). */
  const exact = async () => {
    const { providerEarnings } = await import("@/lib/datasets");
    const final = await ctx.read<bigint>(ctx.addr.ledger, contributionLedgerAbi as Abi, "latestFinalEpoch", []);
    return (await providerEarnings(db.prisma, provider.address, final)).total;
  };
  const earnings = async () => {
    const route = await import("@/app/api/datasets/earnings/route");
    return (await (await route.GET(req(`/api/datasets/earnings?provider=${provider.address}`), noCtx)).json()) as { total: { paid: string; pending: string } };
  };

  beforeAll(async () => {
    anvil = await startAnvil();
    ctx = await connectChain(anvil.rpcUrl);
    db = await createTestDatabase();
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-provider-fees-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    epochs = await import("@/lib/epochs");
    sch = await import("@/lib/scheduler");
    routes = await loadFragmentRoutes();
    chain = {
      chainId: ctx.chainId,
      client: ctx.client as unknown as PublicClient,
      wallet: createWalletClient({ account: privateKeyToAccount(ANVIL_DEPLOYER_KEY), chain: ctx.client.chain, transport: http(anvil.rpcUrl) }),
      addresses: { ledger: ctx.addr.ledger, staking: ctx.addr.staking, tasks: ctx.addr.tasks, token: ctx.addr.token },
    };
    await new Workload(ctx, 11).bootstrap(); // a claimed first epoch: the creator holds CXT to escrow

    const datasets = await import("@/app/api/datasets/route");
    const publish = await import("@/app/api/datasets/[id]/publish/route");
    const cookie = await signInCookie(provider);
    const form = new FormData();
    form.append("label", "kind");
    form.append("file", new Blob([["a,b,kind", ...Array.from({ length: 40 }, (_, i) => `${i % 5},${(i * 3) % 7},${i % 2 ? "x" : "y"}`)].join("\n")], { type: "text/csv" }), "ab.csv");
    const up = await datasets.POST(new Request(`${APP}/api/datasets`, { method: "POST", body: form, headers: { cookie } }), noCtx);
    datasetId = ((await up.json()) as { id: string }).id;
    const res = await publish.POST(req(`/api/datasets/${datasetId}/publish`, { method: "POST", cookie, json: { title: "AB", license: "CC0-1.0", feeBps: 1000 } }), { params: Promise.resolve({ id: datasetId }) });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  it("a completed job pays the provider 10% of its fee", async () => {
    const fee = CXT("100");
    const { job, taskId } = await fundedJob(1, fee);
    const before = await balance(provider.address);
    await trainRound(job.spec);
    await tick(); // complete on chain
    await index();
    expect(await db.prisma.task.findFirstOrThrow({ where: { taskId } })).toMatchObject({ status: "completed", provider: provider.address.toLowerCase(), providerFeeBps: 1000 });
    expect((await earnings()).total.pending).toBe(CXT("10").toString());
    // Before an epoch holds the job's fee leaves the share accrues; once that epoch is final it is claimable, exactly.
    expect(await exact()).toMatchObject({ paid: "0", claimable: "0", accruing: CXT("10").toString() });
    await payOut(async () => expect(await exact()).toMatchObject({ paid: "0", claimable: CXT("10").toString(), accruing: "0", pending: CXT("10").toString() }));
    expect((await balance(provider.address)) - before).toBe(CXT("10"));
    expect(await earnings()).toMatchObject({ total: { paid: CXT("10").toString(), pending: "0" } });
    expect(await exact()).toMatchObject({ paid: CXT("10").toString(), claimable: "0", accruing: "0" });
  });

  it("a job cancelled after half its fragments pays the provider 10% of the half paid for accepted work, and not of the refund", async () => {
    const fee = CXT("100");
    const { job, taskId } = await fundedJob(2, fee);
    const provider0 = await balance(provider.address);
    const creator0 = await balance(creator.address);
    await trainRound(job.spec); // round 0: 2 of 4 fragments accepted
    await ctx.tx(creator.address, ctx.addr.tasks, taskManagerAbi as Abi, "cancelTask", [taskId]);
    await index();
    const fees = await import("@/lib/epochs/fees");
    expect(await fees.settleCancelledJobs(db.prisma, chain)).toEqual([expect.objectContaining({ status: "settled" })]);
    await payOut();
    expect((await balance(provider.address)) - provider0).toBe(CXT("5"));
    expect((await balance(creator.address)) - creator0).toBe(CXT("50"));
    expect(await earnings()).toMatchObject({ total: { paid: CXT("15").toString(), pending: "0" } });
  });
});
