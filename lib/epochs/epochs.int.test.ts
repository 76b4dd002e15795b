// Epochs and rewards end to end on a real anvil + Postgres: simulated workers record credentials, the
// indexer mirrors the chain, the closer posts epochs, accounts claim with the published proofs, the
// watchtower recomputes (and disputes a tampered root), faults slash once (fees: fees.int.test.ts).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createServer, type Server } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { createWalletClient, http, keccak256, parseAbiItem, parseEther, toHex, type Abi, type Address, type Hex, type PublicClient } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { createPrismaClient, type PrismaClient } from "@/lib/db/prisma-client";
import { runIndexer } from "@/lib/indexer/indexer";
import { ANVIL_DEPLOYER_KEY } from "@/scripts/contracts/deploy";
import { resolveDisputes } from "@/scripts/resolve-dispute";
import { verifyEpoch } from "@/scripts/verify-epoch";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { params, req, useAppEnv } from "@/test/support/app-env";
import { CHALLENGE_SECONDS, connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import type { EpochChain } from "./chain";
import { closeEpoch } from "./closer";
import { settleExpiredDisputes } from "./disputes";
import { getClaimable, relayClaims } from "./claims";
import { recordCredential } from "./credentials";
import { COMPUTE_PROOF_WORK_UNITS, EPOCH_RULES, rewardsTree, type RewardLeaf } from "./rules";
import { evidenceHashOf, slashFaults } from "./slashing";

const keyOf = (i: number) => toHex(mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: i }).getHdKey().privateKey!);
const slashedEvent = parseAbiItem("event Slashed(uint256 indexed nodeId, address indexed slasher, uint16 bps, uint256 fromStake, uint256 fromUnbonding, uint256 newStake, uint256 newUnbonding, bytes32 evidenceHash)");
const CXT = (n: string) => parseEther(n);

describe("epochs and rewards against anvil + Postgres", () => {
  let anvil: AnvilInstance;
  let ctx: ChainCtx;
  let db: TestDatabase;
  let db2: PrismaClient;
  let chain: EpochChain;
  let server: Server;
  let api: string;
  let alice: Address, bob: Address, carol: Address, watcher: Address, creator: Address;
  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: ctx.chainId, contracts: ctx.contracts, stopAtHead: true, finalityDepth: 256, log: () => {} });
  let seq = 0;
  const credit = (owner: Address, nodeId: number, workUnits: bigint, role: "compute" | "verify" | "compute-proof" = "compute", jobId = "job-train") =>
    recordCredential(db.prisma, ctx.chainId, { owner, nodeId: BigInt(nodeId), jobId, fragmentId: `frag-${++seq}`, resultHash: keccak256(toHex(`result ${seq}`)), workUnits, role });
  const ledgerRead = <T>(functionName: string, args: readonly unknown[] = []) => ctx.read<T>(ctx.addr.ledger, contributionLedgerAbi as Abi, functionName, args);
  /** Simulates first so a refusal names its custom error. */
  const attempt = async (from: Address, address: Address, abi: Abi, functionName: string, args: readonly unknown[]) => {
    await ctx.client.simulateContract({ account: from, address, abi, functionName, args } as never);
    return ctx.tx(from, address, abi, functionName, args);
  };
  const claimArgs = (epoch: number | bigint, account: Address, l: { nodeId: string; cumulativeAmount: string; cumulativeWorkUnits: string; proof: string[] }) =>
    [BigInt(epoch), account, BigInt(l.nodeId), BigInt(l.cumulativeAmount), BigInt(l.cumulativeWorkUnits), l.proof] as const;
  const balance = (a: Address) => ctx.read<bigint>(ctx.addr.token, cxtTokenAbi as Abi, "balanceOf", [a]);
  const routes = async () => ({
    tree: await import("@/app/api/epochs/[n]/tree/route"),
    credential: await import("@/app/api/credentials/[id]/route"),
    credentials: await import("@/app/api/credentials/route"),
    claims: await import("@/app/api/claims/[account]/route"),
    fault: await import("@/app/api/faults/[id]/route"),
  });

  beforeAll(async () => {
    anvil = await startAnvil();
    ctx = await connectChain(anvil.rpcUrl);
    db = await createTestDatabase();
    db2 = createPrismaClient(db.url);
    [, alice, bob, carol, watcher, creator] = ctx.accounts as [Address, Address, Address, Address, Address, Address];
    const deployments = mkdtempSync(path.join(tmpdir(), "corex-epochs-"));
    const d = ctx.deployment;
    writeFileSync(path.join(deployments, "31337.json"), JSON.stringify({ chainId: 31337, deployedAt: d.deployedAt, contracts: d.contracts }));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", DEPLOYMENTS_DIR: deployments });
    chain = {
      chainId: ctx.chainId,
      client: ctx.client as unknown as PublicClient,
      wallet: createWalletClient({ account: privateKeyToAccount(ANVIL_DEPLOYER_KEY), chain: ctx.client.chain, transport: http(anvil.rpcUrl) }),
      addresses: { ledger: ctx.addr.ledger, staking: ctx.addr.staking, tasks: ctx.addr.tasks, token: ctx.addr.token },
      // SLASHER_ROLE is anvil account #8 on the dev chain (never the oracle's key).
      slasher: {
        client: ctx.client as unknown as PublicClient,
        wallet: createWalletClient({ account: mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: 8 }), chain: ctx.client.chain, transport: http(anvil.rpcUrl) }),
      },
    };
    // The published API for the watchtower: the real route handler behind a plain HTTP server.
    const { tree } = await routes();
    server = createServer(async (rq, rs) => {
      const m = /^\/api\/epochs\/([^/]+)\/tree$/.exec(rq.url ?? "");
      const res = m ? await tree.GET(req(rq.url!), params({ n: m[1]! })) : new Response("not found", { status: 404 });
      rs.writeHead(res.status, { "content-type": res.headers.get("content-type") ?? "text/plain" });
      rs.end(Buffer.from(await res.arrayBuffer()));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    for (const who of [alice, bob, carol, watcher]) await ctx.tx(who, ctx.addr.staking, stakingAbi as Abi, "registerNode", [1, "corex://test"]);
  });
  afterAll(async () => {
    server?.close();
    await db2?.$disconnect();
    await db?.drop();
    await anvil?.stop();
  });

  it("epoch 1: two closers at once post it once; each credential's proof verifies against the chain's root", async () => {
    await credit(alice, 1, 10n ** 11n - COMPUTE_PROOF_WORK_UNITS);
    // A compute-proof credential claiming more than a pass weighs: the rules credit the fixed weight.
    await credit(alice, 1, 5n * 10n ** 10n, "compute-proof");
    await credit(bob, 2, 3n * 10n ** 10n);
    await credit(carol, 3, 2n * 10n ** 10n, "verify");
    await credit(watcher, 4, 10n ** 10n);
    // recording the same contribution twice keeps one credential
    const again = await recordCredential(db.prisma, ctx.chainId, { owner: bob, nodeId: 2n, jobId: "job-train", fragmentId: "frag-3", resultHash: keccak256(toHex("result 3")), workUnits: 3n * 10n ** 10n, role: "compute" });
    expect(await db.prisma.credential.count()).toBe(5);
    expect(again.fragmentId).toBe("frag-3");
    await expect(recordCredential(db.prisma, ctx.chainId, { owner: bob, nodeId: 2n, jobId: "j", fragmentId: "f", resultHash: "0x12", workUnits: 1n, role: "compute" })).rejects.toThrow();

    await index();
    const results = await Promise.all([closeEpoch(db.prisma, chain), closeEpoch(db2, chain), closeEpoch(db.prisma, chain)]);
    expect(results.filter((r) => r.status === "posted")).toHaveLength(1);
    expect(await ledgerRead<bigint>("lastEpoch")).toBe(1n);
    expect(await closeEpoch(db.prisma, chain)).toMatchObject({ status: "skipped", reason: "epoch 1 is in its challenge window" });
    const posted = await ctx.client.getContractEvents({ address: ctx.addr.ledger, abi: contributionLedgerAbi, eventName: "EpochPosted", fromBlock: 0n });
    expect(posted).toHaveLength(1);

    const r = await routes();
    const list = await (await r.credentials.GET(req("/api/credentials?node=1&limit=1"), {} as never)).json();
    expect(list.credentials).toHaveLength(1);
    expect(list.nextCursor).toBeTruthy();
    const page2 = await (await r.credentials.GET(req(`/api/credentials?node=1&limit=1&cursor=${list.nextCursor}`), {} as never)).json();
    expect(page2.credentials).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect((await r.credentials.GET(req("/api/credentials?epoch=x"), {} as never)).status).toBe(400);
    expect((await r.credentials.GET(req("/api/credentials?bogus=1"), {} as never)).status).toBe(400);

    const onChain = await ledgerRead<{ credentialsRoot: Hex; credentialCount: number }>("getEpoch", [1n]);
    expect(onChain.credentialCount).toBe(5);
    for (const c of (await (await r.credentials.GET(req("/api/credentials?epoch=1"), {} as never)).json()).credentials as { id: string }[]) {
      const res = await r.credential.GET(req(`/api/credentials/${c.id}`), params({ id: c.id }));
      expect(res.status).toBe(200);
      const p = await res.json();
      expect(p).toMatchObject({ epoch: 1, root: onChain.credentialsRoot.toLowerCase() });
      expect(StandardMerkleTree.verify(p.root, p.leafEncoding, p.leaf, p.proof)).toBe(true);
      const forged = [...p.leaf];
      forged[7] = (BigInt(forged[7]) + 1n).toString();
      expect(StandardMerkleTree.verify(p.root, p.leafEncoding, forged, p.proof)).toBe(false);
    }
    expect((await r.credential.GET(req("/api/credentials/nope"), params({ id: "nope" }))).status).toBe(404);
    expect((await verifyEpoch({ api, rpc: anvil.rpcUrl, epoch: 1n, log: () => {} })).problems).toEqual([]);
  });

  it("claims: a tampered proof, another node's credential, more than the proof, a claim in the challenge window → refused; the exact proof pays", async () => {
    const mine = await getClaimable(db.prisma, chain, alice);
    expect(mine.epoch).toBeNull(); // epoch 1 is not final yet
    const tree = (await db.prisma.epochClose.findFirstOrThrow({ where: { epoch: 1n } })).rewardsTree;
    const t = StandardMerkleTree.load<RewardLeaf>(tree as never);
    const [i, leaf] = [...t.entries()].find(([, v]) => v[0] === alice.toLowerCase())!;
    const early = { nodeId: leaf[1], cumulativeAmount: leaf[2], cumulativeWorkUnits: leaf[3], proof: t.getProof(i) };
    await expect(attempt(alice, ctx.addr.ledger, contributionLedgerAbi as Abi, "claim", claimArgs(1, alice, early))).rejects.toThrow(/NotLatestFinalEpoch/);

    await ctx.advance(CHALLENGE_SECONDS + 1);
    const c = await getClaimable(db.prisma, chain, alice);
    expect(c.epoch).toBe(1);
    const l = c.claims[0]!;
    expect(BigInt(c.claimable)).toBe(BigInt(l.cumulativeAmount));
    const L = contributionLedgerAbi as Abi;
    const tampered = { ...l, proof: [keccak256(toHex("x")), ...l.proof.slice(1)] };
    await expect(attempt(alice, ctx.addr.ledger, L, "claim", claimArgs(1, alice, tampered))).rejects.toThrow(/InvalidProof/);
    await expect(attempt(alice, ctx.addr.ledger, L, "claim", claimArgs(1, alice, { ...l, cumulativeAmount: (BigInt(l.cumulativeAmount) + 1n).toString() }))).rejects.toThrow(/InvalidProof/);
    await expect(attempt(bob, ctx.addr.ledger, L, "claim", claimArgs(1, bob, l))).rejects.toThrow(/InvalidProof/); // alice's credential, bob's account
    await expect(attempt(bob, ctx.addr.ledger, L, "claim", claimArgs(1, alice, { ...l, nodeId: "2" }))).rejects.toThrow(/InvalidProof/); // alice's leaf on bob's node
    await attempt(alice, ctx.addr.ledger, L, "claim", claimArgs(1, alice, l));
    expect(await balance(alice)).toBe(BigInt(l.cumulativeAmount));
    await expect(attempt(alice, ctx.addr.ledger, L, "claim", claimArgs(1, alice, l))).rejects.toThrow(/NothingToClaim/);

    const res = await (await routes()).claims.GET(req(`/api/claims/${alice}`), params({ account: alice }));
    expect(await res.json()).toMatchObject({ epoch: 1, claimable: "0" });
    expect((await (await routes()).claims.GET(req("/api/claims/0x12"), params({ account: "0x12" }))).status).toBe(400);

    // relayer mode: everyone else's claims in one claimMany paid by the coordinator
    expect(await relayClaims(db.prisma, chain)).toMatchObject({ epoch: 1n, count: 3 });
    expect(await relayClaims(db.prisma, chain)).toMatchObject({ count: 0 });
  });

  it("a node climbs a tier after verified work and stake, and the rankings show it", async () => {
    const node = await ctx.read<{ workUnits: bigint; tier: number }>(ctx.addr.staking, stakingAbi as Abi, "getNode", [1n]);
    expect(node.workUnits).toBe(10n ** 11n); // recorded by the claim: the compute work and one pass at COMPUTE_PROOF_WORK_UNITS
    expect(node.tier).toBe(0);
    const stake = async (who: Address, nodeId: bigint, amount: bigint) => {
      await ctx.tx(who, ctx.addr.token, cxtTokenAbi as Abi, "approve", [ctx.addr.staking, amount]);
      await ctx.tx(who, ctx.addr.staking, stakingAbi as Abi, "stake", [nodeId, amount]);
    };
    await stake(alice, 1n, CXT("1000"));
    await stake(carol, 3n, CXT("5000"));
    await stake(watcher, 4n, CXT("200"));
    expect(await ctx.read<number>(ctx.addr.staking, stakingAbi as Abi, "tierOf", [1n])).toBe(1);
    await index();
    const { listNodes } = await import("@/lib/mirror");
    const ranked = await listNodes(ctx.chainId, { orderBy: "rank" });
    expect(ranked[0]).toMatchObject({ nodeId: 1n, tier: 1 });
  });

  it("epoch 2: stake × time and tiered work; every minted CXT is accounted for, nobody gets more than their proof", async () => {
    await credit(alice, 1, 10n ** 10n);
    await credit(bob, 2, 10n ** 10n);
    await ctx.advance(40);
    await index();
    const r = await closeEpoch(db.prisma, chain);
    expect(r).toMatchObject({ status: "posted", epoch: 2n });
    const close = await db.prisma.epochClose.findFirstOrThrow({ where: { epoch: 2n } });
    const inputs = close.inputs as { pool: string; stakeSeconds: Record<string, string>; buckets: Record<string, string>; tiers: Record<string, number> };
    expect(Object.keys(inputs.stakeSeconds).sort()).toEqual(["1", "3", "4"]);
    expect(inputs.tiers["1"]).toBe(1);
    // alice (silver, 1.25×) and bob (bronze) did equal work: alice's compute share is 1.25 / 2.25 of the bucket
    const computeBudget = (BigInt(inputs.pool) * BigInt(EPOCH_RULES.split.computeBps)) / 10_000n;
    const prev = new Map((StandardMerkleTree.load<RewardLeaf>((await db.prisma.epochClose.findFirstOrThrow({ where: { epoch: 1n } })).rewardsTree as never).dump().values).map((v) => [`${v.value[0]}:${v.value[1]}`, BigInt(v.value[2])]));
    const now = StandardMerkleTree.load<RewardLeaf>(close.rewardsTree as never);
    const leaves = [...now.entries()].map(([, v]) => v);
    const delta = (a: Address, n: number) => BigInt(leaves.find((v) => v[0] === a.toLowerCase() && v[1] === String(n))![2]) - (prev.get(`${a.toLowerCase()}:${n}`) ?? 0n);
    const stakeBudget = (BigInt(inputs.pool) * BigInt(EPOCH_RULES.split.stakingBps)) / 10_000n;
    const ss = Object.fromEntries(Object.entries(inputs.stakeSeconds).map(([k, v]) => [k, BigInt(v)]));
    const ssum = ss["1"]! + ss["3"]! + ss["4"]!;
    expect(delta(alice, 1)).toBe((computeBudget * 12_500n * 10n ** 10n) / (22_500n * 10n ** 10n) + (stakeBudget * ss["1"]!) / ssum);
    expect(delta(bob, 2)).toBe((computeBudget * 10_000n * 10n ** 10n) / (22_500n * 10n ** 10n));
    expect(delta(carol, 3)).toBe((stakeBudget * ss["3"]!) / ssum); // no credential this epoch: stake only
    expect(ss["3"]! / ss["4"]!).toBe(25n); // 5,000 vs 200 CXT over the same time

    expect((await verifyEpoch({ api, rpc: anvil.rpcUrl, epoch: 2n, log: () => {} })).problems).toEqual([]);
    // the same through the CLI a node operator runs
    // (async: the API it calls is served by this process)
    const cli = await promisify(execFile)(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/verify-epoch.ts", "--api", api, "--rpc", anvil.rpcUrl, "--epoch", "2"], { encoding: "utf8", timeout: 60_000 });
    expect(cli.stdout).toMatch(/epoch 2: consistent/); // execFile rejects on a non-zero exit
    await ctx.advance(CHALLENGE_SECONDS + 1);
    await relayClaims(db.prisma, chain);

    const epochs = [1n, 2n].map((e) => ledgerRead<{ total: bigint; allowanceThrough: bigint }>("getEpoch", [e]));
    const [e1, e2] = await Promise.all(epochs);
    const sumLeaves = leaves.reduce((s, v) => s + BigInt(v[2]), 0n);
    expect(sumLeaves).toBe(e1!.total + e2!.total); // cumulative leaves = Σ posted totals
    const minted = await ledgerRead<bigint>("totalMinted");
    expect(minted).toBeLessThanOrEqual(e2!.allowanceThrough);
    for (const [a, n, amount] of leaves) {
      const claimed = await ledgerRead<{ amount: bigint }>("claimedOf", [a, BigInt(n)]);
      expect(claimed.amount).toBe(BigInt(amount)); // all claimed, none beyond its proof
    }
    expect(minted).toBe(sumLeaves);
    // every minted CXT is accounted for: each leaf's growth has a credential or stake time behind it
    const creds = await db.prisma.credential.findMany({ where: { epoch: 2n } });
    for (const [a, n] of leaves) {
      const grew = delta(a as Address, Number(n)) > 0n;
      if (grew) expect(creds.some((c) => c.nodeId === BigInt(n)) || ss[n] !== undefined).toBe(true);
    }
    expect(await ctx.read<bigint>(ctx.addr.token, cxtTokenAbi as Abi, "totalSupply")).toBe(minted - CXT("0")); // nothing burned yet
  });

  it("the watchtower catches a tampered root inside the challenge window and disputes it with the bond; claims against it are refused", async () => {
    await credit(bob, 2, 10n ** 10n);
    await ctx.advance(10);
    await index();
    // A dishonest oracle: it publishes the honest trees but posts a root that also pays the creator.
    const dishonest: EpochChain = {
      ...chain,
      wallet: {
        ...chain.wallet,
        writeContract: (request: { functionName: string; args: unknown[] }) => {
          if (request.functionName !== "postEpoch") return chain.wallet.writeContract(request as never);
          const leaves: RewardLeaf[] = [[creator.toLowerCase(), "0", CXT("50000").toString(), "0"], ...(prevLeaves as RewardLeaf[])];
          const args = [...request.args];
          args[2] = rewardsTree(leaves).root;
          return chain.wallet.writeContract({ ...request, args } as never);
        },
      } as never,
    };
    const prevLeaves = StandardMerkleTree.load<RewardLeaf>((await db.prisma.epochClose.findFirstOrThrow({ where: { epoch: 2n } })).rewardsTree as never).dump().values.map((v) => v.value);
    expect(await closeEpoch(db.prisma, dishonest)).toMatchObject({ status: "posted", epoch: 3n });

    const bondBefore = await balance(watcher);
    const v = await verifyEpoch({ api, rpc: anvil.rpcUrl, dispute: true, key: keyOf(4) as Hex, log: () => {} });
    expect(v.epoch).toBe(3n);
    expect(v.ok).toBe(false);
    expect(v.problems.join("\n")).toMatch(/rewards root: recomputed .*, chain/);
    expect(v.disputeTx).toMatch(/^0x/);
    const bond = await ledgerRead<bigint>("disputeBond");
    expect(await balance(watcher)).toBe(bondBefore - bond);
    expect(await ledgerRead<{ status: number }>("getEpoch", [3n])).toMatchObject({ status: 2 }); // disputed
    expect((await ctx.read<{ locked: boolean }>(ctx.addr.staking, stakingAbi as Abi, "getNode", [4n])).locked).toBe(true);

    // a claim against the disputed epoch is refused, even after its window
    await ctx.advance(CHALLENGE_SECONDS + 1);
    const tree = StandardMerkleTree.load<RewardLeaf>((await db.prisma.epochClose.findFirstOrThrow({ where: { epoch: 3n } })).rewardsTree as never);
    const [i, leaf] = [...tree.entries()].find(([, x]) => x[0] === bob.toLowerCase())!;
    await expect(attempt(bob, ctx.addr.ledger, contributionLedgerAbi as Abi, "claim", claimArgs(3, bob, { nodeId: leaf[1], cumulativeAmount: leaf[2], cumulativeWorkUnits: leaf[3], proof: tree.getProof(i) })))
      .rejects.toThrow(/NotLatestFinalEpoch/);
    expect((await getClaimable(db.prisma, chain, bob)).epoch).toBe(2);
    expect(await closeEpoch(db.prisma, chain)).toMatchObject({ status: "skipped", reason: "epoch 3 is disputed" });

    // The resolver's tool re-verifies the whole epoch with the watchtower's code and upholds:
    // invalid; the next epoch extends epoch 2 and re-seals epoch 3's credentials; the watchtower agrees
    const verdict = await resolveDisputes({ api, rpc: anvil.rpcUrl, epoch: 3n, key: keyOf(9) as Hex, log: () => {} });
    expect(verdict).toMatchObject({ ok: false, verdicts: [{ index: 0n, upheld: true, how: "resolved" }] });
    expect(await ledgerRead<{ status: number }>("getEpoch", [3n])).toMatchObject({ status: 4 }); // invalid
    expect(await balance(watcher)).toBe(bondBefore);
    await index();
    expect(await closeEpoch(db.prisma, chain)).toMatchObject({ status: "posted", epoch: 4n });
    const four = await verifyEpoch({ api, rpc: anvil.rpcUrl, epoch: 4n, log: () => {} });
    expect(four.problems).toEqual([]);
    expect(await db.prisma.credential.count({ where: { epoch: 3n } })).toBe(0);
  });

  it("a faulty worker is slashed once, with evidence that re-verifies", async () => {
    const fault = { id: "fault-1", nodeId: 3n, evidence: { jobId: "job-train", fragmentId: "frag-4", expected: keccak256(toHex("a")), got: keccak256(toHex("b")), verifier: 2 } };
    const before = await ctx.read<{ stake: bigint }>(ctx.addr.staking, stakingAbi as Abi, "getNode", [3n]);
    const runs = await Promise.all([slashFaults(db.prisma, chain, [fault]), slashFaults(db2, chain, [fault])]);
    expect(runs.flat().filter((r) => r.status === "sent")).toHaveLength(1);
    expect((await slashFaults(db.prisma, chain, [fault]))[0]).toMatchObject({ status: "skipped" });
    expect(await slashFaults(db.prisma, chain, [])).toEqual([]); // no fault, no slash
    const logs = await ctx.client.getLogs({ address: ctx.addr.staking, event: slashedEvent, fromBlock: 0n });
    expect(logs).toHaveLength(1);
    const after = await ctx.read<{ stake: bigint; slashCount: number }>(ctx.addr.staking, stakingAbi as Abi, "getNode", [3n]);
    expect(after.slashCount).toBe(1);
    expect(after.stake).toBe(before.stake - (before.stake * BigInt(EPOCH_RULES.slashBps)) / 10_000n);

    const res = await (await routes()).fault.GET(req("/api/faults/fault-1"), params({ id: "fault-1" }));
    const f = await res.json();
    expect(keccak256(toHex(f.canonical))).toBe(f.evidenceHash);
    expect(f.evidenceHash).toBe(logs[0]!.args.evidenceHash);
    expect(f.evidenceHash).toBe(evidenceHashOf(fault));
    expect(f.txHash).toBe(logs[0]!.transactionHash);
    expect((await (await routes()).fault.GET(req("/api/faults/none"), params({ id: "none" }))).status).toBe(404);
  });

  it("a close interrupted after its post landed is completed by the next call, never posted twice", async () => {
    await ctx.advance(CHALLENGE_SECONDS + 1);
    const c = await credit(bob, 2, 10n ** 9n);
    await index();
    // the RPC dies after the transaction went out: no receipt, the coordinator process "crashes" —
    // and the post is still pending when the closer looks at the chain again (it lands just after)
    const crashing: EpochChain = { ...chain, client: { ...chain.client, waitForTransactionReceipt: async () => { throw new Error("connection reset"); } } as never };
    await ctx.client.setAutomine(false);
    try {
      await expect(closeEpoch(db.prisma, crashing)).rejects.toThrow(/connection reset/);
      expect(await ledgerRead<bigint>("lastEpoch")).toBe(4n);
    } finally {
      await ctx.client.mine({ blocks: 1 });
      await ctx.client.setAutomine(true);
    }
    expect(await ledgerRead<bigint>("lastEpoch")).toBe(5n);
    expect(await db.prisma.epochClose.findFirstOrThrow({ where: { epoch: 5n } })).toMatchObject({ status: "closing" });
    expect((await db.prisma.credential.findUniqueOrThrow({ where: { id: c.id } })).epoch).toBeNull();

    expect(await closeEpoch(db.prisma, chain)).toMatchObject({ status: "skipped", reason: "completed the interrupted close of epoch 5" });
    expect((await db.prisma.credential.findUniqueOrThrow({ where: { id: c.id } })).epoch).toBe(5n);
    expect(await db.prisma.epochClose.findFirstOrThrow({ where: { epoch: 5n } })).toMatchObject({ status: "posted" });
    expect(await closeEpoch(db.prisma, chain)).toMatchObject({ status: "skipped", reason: "epoch 5 is in its challenge window" });
    const posts = await ctx.client.getContractEvents({ address: ctx.addr.ledger, abi: contributionLedgerAbi, eventName: "EpochPosted", fromBlock: 0n });
    expect(posts.filter((p) => p.args.epoch === 5n)).toHaveLength(1);
    expect((await verifyEpoch({ api, rpc: anvil.rpcUrl, epoch: 5n, log: () => {} })).problems).toEqual([]);
  });
  it("a credential whose account does not own its node is never sealed; another instance's in-flight claim is neither deleted nor posted over", async () => {
    await ctx.advance(CHALLENGE_SECONDS + 1);
    const last = await ledgerRead<bigint>("lastEpoch");
    const mine = await credit(bob, 2, 10n ** 9n);
    const stray = await credit(bob, 1, 10n ** 9n); // node 1 is alice's: bob may not be credited for it
    await index();
    // Another instance has claimed the next epoch a moment ago and is posting it.
    const inFlight = {
      chainId: ctx.chainId, epoch: last + 1n, status: "closing", windowStart: new Date(), windowEnd: new Date(), closeBlock: 1n, inputs: {},
      rewardsTree: {}, credentialsRoot: `0x${"1".repeat(64)}`, rewardsRoot: `0x${"2".repeat(64)}`, total: "0", workUnits: "0", credentialCount: 0,
    };
    await db.prisma.epochClose.create({ data: inFlight });
    expect(await closeEpoch(db.prisma, chain)).toMatchObject({ status: "skipped", reason: `epoch ${last + 1n} is being posted by another instance` });
    expect(await db.prisma.epochClose.findUnique({ where: { chainId_epoch: { chainId: ctx.chainId, epoch: last + 1n } } })).toMatchObject({ status: "closing", credentialsRoot: inFlight.credentialsRoot });
    expect(await ledgerRead<bigint>("lastEpoch")).toBe(last);
    // That instance died before its post: the claim is dropped once it is stale, and the close goes ahead.
    await db.prisma.epochClose.update({ where: { chainId_epoch: { chainId: ctx.chainId, epoch: last + 1n } }, data: { createdAt: new Date(Date.now() - 24 * 3_600_000) } });
    const closed = await closeEpoch(db.prisma, chain);
    expect(closed).toMatchObject({ status: "posted" });
    // posted once, by outcome: one EpochPosted for the epoch, lastEpoch moved by one, a repeat changes nothing
    expect(await ledgerRead<bigint>("lastEpoch")).toBe(last + 1n);
    expect(await closeEpoch(db.prisma, chain)).toMatchObject({ status: "skipped" });
    const posts = await ctx.client.getContractEvents({ address: ctx.addr.ledger, abi: contributionLedgerAbi, eventName: "EpochPosted", fromBlock: 0n });
    expect(posts.filter((p) => p.args.epoch === last + 1n)).toHaveLength(1);
    expect((await db.prisma.credential.findUniqueOrThrow({ where: { id: mine.id } })).epoch).toBe(last + 1n);
    expect((await db.prisma.credential.findUniqueOrThrow({ where: { id: stray.id } })).epoch).toBeNull();
    const tree = (await db.prisma.epochClose.findUniqueOrThrow({ where: { chainId_epoch: { chainId: ctx.chainId, epoch: last + 1n } } })).credentialsTree as { values: { value: string[] }[] };
    expect(tree.values.map((v) => v.value[0])).not.toContain(stray.id);
  });

  it("the epochs loop settles a dispute past its resolveBy with no verdict on its own (settleExpiredDisputes), and closing goes on", async () => {
    await ctx.advance(CHALLENGE_SECONDS + 1);
    await credit(bob, 2, 10n ** 9n);
    await ctx.advance(10);
    await index();
    const posted = await closeEpoch(db.prisma, chain);
    expect(posted).toMatchObject({ status: "posted" });
    const epoch = (posted as { epoch: bigint }).epoch;
    await ctx.tx(watcher, ctx.addr.token, cxtTokenAbi as Abi, "approve", [ctx.addr.ledger, await ledgerRead<bigint>("disputeBond")]);
    await ctx.tx(watcher, ctx.addr.ledger, contributionLedgerAbi as Abi, "dispute", [epoch, 4n, keccak256(toHex("no verdict will come"))]);
    expect(await settleExpiredDisputes(chain)).toEqual([]); // before resolveBy it is the resolver's call
    expect(await closeEpoch(db.prisma, chain)).toMatchObject({ status: "skipped", reason: `epoch ${epoch} is disputed` });
    // The resolver stays silent past the deadline: the loop settles the dispute as upheld, once.
    const d = await ledgerRead<{ resolveBy: bigint }>("getDispute", [epoch, 0n]);
    await ctx.advance(Number(d.resolveBy - (await ctx.client.getBlock()).timestamp) + 1);
    expect(await settleExpiredDisputes(chain)).toMatchObject([{ epoch, index: 0n, status: "settled" }]);
    expect(await ledgerRead<{ status: number }>("getEpoch", [epoch])).toMatchObject({ status: 4 }); // invalid
    expect((await ctx.read<{ locked: boolean }>(ctx.addr.staking, stakingAbi as Abi, "getNode", [4n])).locked).toBe(false);
    expect(await settleExpiredDisputes(chain)).toEqual([]);
    // The next epoch re-seals the invalid epoch's credentials and re-declares its total.
    await index();
    expect(await closeEpoch(db.prisma, chain)).toMatchObject({ status: "posted", epoch: epoch + 1n });
  });
});
