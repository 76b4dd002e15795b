import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { stakingAbi } from "@/contracts-abi/staking";
import { pocMatrices, pocProductCpu } from "@/lib/compute";
import { runIndexer } from "@/lib/indexer/indexer";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { signInCookie } from "@/test/support/sign-in";
import { encodeProduct, resultDomain, WORKER_AUTH_HEADER, workerAuthTypes } from "@/lib/protocol";
import { COMPUTE_PROOF_WORK_UNITS, EPOCH_RULES, computeRewards } from "@/lib/epochs/rules";

type Challenge = { id: string; nodeId: string; n: number; seed: number; ops: number; expiresAt: string; answer: string };
type Routes = { nodeThroughput: typeof import("./service").nodeThroughput; challenge: typeof import("@/app/api/compute-poc/challenge/route"); answer: typeof import("@/app/api/compute-poc/[id]/answer/route") };

describe("Compute-PoC: seeded challenges checked with Freivalds, every answer recorded (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let chain: ChainCtx;
  let r: Routes;
  let cookie: string;
  let malloryCookie: string;
  let nodeId: bigint;
  const alice = privateKeyToAccount(generatePrivateKey());
  const mallory = privateKeyToAccount(generatePrivateKey());

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    chain = await connectChain(anvil.rpcUrl);
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337" });
    // route and service modules read DATABASE_URL when first imported: after useAppEnv
    r = { nodeThroughput: (await import("./service")).nodeThroughput, challenge: await import("@/app/api/compute-poc/challenge/route"), answer: await import("@/app/api/compute-poc/[id]/answer/route") };
    await chain.client.setBalance({ address: alice.address, value: 10n ** 19n });
    const hash = await chain.client.writeContract({ account: alice, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "registerNode", args: [1, "corex://test/cpu"] });
    await chain.client.waitForTransactionReceipt({ hash });
    await runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });
    nodeId = (await db.prisma.node.findFirstOrThrow({ where: { owner: alice.address.toLowerCase() } })).nodeId;
    cookie = await signInCookie(alice);
    malloryCookie = await signInCookie(mallory);
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
  });

  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
  const ask = (json: unknown, c = cookie) => r.challenge.POST(req("/api/compute-poc/challenge", { method: "POST", json, cookie: c }), noCtx);
  const issue = async (n = 32): Promise<Challenge> => {
    const res = await ask({ nodeId: nodeId.toString(), n });
    expect(res.status).toBe(201);
    return (await res.json()) as Challenge;
  };
  const answer = (id: string, body: Uint8Array, elapsedMs: number | string = 5, c = cookie, type = "application/octet-stream") =>
    r.answer.POST(req(`/api/compute-poc/${id}/answer?elapsedMs=${elapsedMs}`, { method: "POST", body: body as BodyInit, cookie: c, headers: { "content-type": type } }), params({ id }));
  const product = (ch: { seed: number; n: number }) => {
    const { a, b } = pocMatrices(ch);
    return pocProductCpu(a, b, ch.n);
  };
  const attempts = () => db.prisma.pocAttempt.findMany({ orderBy: { createdAt: "asc" } });

  it("issues a seeded challenge for the node's owner and stores it; refuses others, unknown nodes and bad sizes", async () => {
    const ch = await issue(64);
    expect(ch).toMatchObject({ nodeId: nodeId.toString(), n: 64, ops: 2 * 64 ** 3, answer: `/api/compute-poc/${ch.id}/answer` });
    const row = await db.prisma.pocChallenge.findUniqueOrThrow({ where: { id: ch.id } });
    expect(row).toMatchObject({ status: "pending", n: 64, seed: BigInt(ch.seed), requestedBy: alice.address.toLowerCase() });
    expect(new Date(ch.expiresAt).getTime() - row.issuedAt.getTime()).toBe(120_000);
    // seeds are drawn per challenge
    expect((await issue(64)).seed).not.toBe(ch.seed);

    const noSession = await r.challenge.POST(req("/api/compute-poc/challenge", { method: "POST", json: { nodeId: "1" } }), noCtx);
    expect(noSession.status).toBe(401);
    const other = await ask({ nodeId: nodeId.toString() }, malloryCookie);
    expect(other.status).toBe(403);
    expect((await errorOf(other)).code).toBe("node_not_eligible");
    expect((await ask({ nodeId: "999" })).status).toBe(404);
    const tooBig = await ask({ nodeId: nodeId.toString(), n: 4096 });
    expect(tooBig.status).toBe(400);
    expect((await errorOf(tooBig)).message).toContain("body.n");
    expect((await ask({ nodeId: nodeId.toString(), extra: 1 })).status).toBe(400);
  });

  it("a worker key authenticates with x-corex-worker (EIP-712 WorkerAuth), as on /api/fragments", async () => {
    const asWorker = async (account: typeof alice) => {
      const expiresAt = Math.floor(Date.now() / 1000) + 300;
      const sig = await account.signTypedData({ domain: resultDomain(31337), types: workerAuthTypes, primaryType: "WorkerAuth", message: { nodeId, expiresAt: BigInt(expiresAt) } });
      return { [WORKER_AUTH_HEADER]: `${expiresAt}.${sig}` };
    };
    const res = await r.challenge.POST(req("/api/compute-poc/challenge", { method: "POST", json: { nodeId: nodeId.toString(), n: 16 }, headers: await asWorker(alice) }), noCtx);
    expect(res.status).toBe(201);
    const ch = (await res.json()) as Challenge;
    const ans = await r.answer.POST(
      req(`/api/compute-poc/${ch.id}/answer?elapsedMs=1`, { method: "POST", body: encodeProduct(product(ch)) as BodyInit, headers: { ...(await asWorker(alice)), "content-type": "application/octet-stream" } }),
      params({ id: ch.id }),
    );
    expect(ans.status).toBe(200);
    // the node's first pass: it earns the one compute-proof credential of the epoch
    expect(((await ans.json()) as { credited: boolean }).credited).toBe(true);
    const forged = await r.challenge.POST(req("/api/compute-poc/challenge", { method: "POST", json: { nodeId: nodeId.toString() }, headers: await asWorker(mallory) }), noCtx);
    expect(forged.status).toBe(401);
  });

  it("accepts the right product and records the node's throughput", async () => {
    const ch = await issue(48);
    const res = await answer(ch.id, encodeProduct(product(ch)), 2);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outcome: string; rounds: number; opsPerSecond: number; wallOpsPerSecond: number };
    expect(body).toMatchObject({ outcome: "passed", rounds: 21, opsPerSecond: (2 * 48 ** 3) / 0.002 });
    expect(body.wallOpsPerSecond).toBeGreaterThan(0);
    expect(body.wallOpsPerSecond).toBeLessThanOrEqual(body.opsPerSecond * 1000);
    expect((await db.prisma.pocChallenge.findUniqueOrThrow({ where: { id: ch.id } })).status).toBe("passed");
    const t = await r.nodeThroughput(db.prisma, nodeId, 31337);
    expect(t.passes).toBe(2);
    expect(t.latest).toMatchObject({ n: 48, opsPerSecond: body.opsPerSecond, wallOpsPerSecond: body.wallOpsPerSecond });
    expect(t.failures).toEqual({});
    // …but no second credential: the node's pass of this epoch was already credited (the worker key's)
    expect(body).toMatchObject({ credited: false });
    expect(await db.prisma.credential.count({ where: { role: "compute-proof", fragmentId: ch.id } })).toBe(0);
    const cred = await db.prisma.credential.findFirstOrThrow({ where: { role: "compute-proof", nodeId } });
    expect(cred).toMatchObject({ jobId: "compute-poc", epoch: null });
    expect(cred.workUnits.toFixed()).toBe(COMPUTE_PROOF_WORK_UNITS.toString());
  });

  it("is no source of work: N passes in one epoch (one after another or at once) earn one credential of the fixed weight, and its CXT stays under the cap", async () => {
    const pass = async (n: number) => {
      const ch = await issue(n);
      const res = await answer(ch.id, encodeProduct(product(ch)), 2);
      expect(res.status).toBe(200);
      return (await res.json()) as { credited: boolean };
    };
    const proofs = () => db.prisma.credential.findMany({ where: { role: "compute-proof", nodeId, epoch: null } });
    // The issue's attack: many passes of a large product (2·64³ = 524,288 operations each, over the cap).
    for (let i = 0; i < 5; i++) expect((await pass(64)).credited).toBe(false);
    expect(await proofs()).toHaveLength(1);
    // The closer seals the pending credential into an epoch: the next epoch's first pass earns again,
    // and of passes racing for it exactly one does.
    await db.prisma.credential.updateMany({ where: { role: "compute-proof", nodeId, epoch: null }, data: { epoch: 1n } });
    const raced = await Promise.all(Array.from({ length: 4 }, () => pass(64)));
    expect(raced.filter((p) => p.credited)).toHaveLength(1);
    const [cred, ...more] = await proofs();
    expect(more).toHaveLength(0);
    expect(BigInt(cred!.workUnits.toFixed())).toBe(COMPUTE_PROOF_WORK_UNITS);
    expect(COMPUTE_PROOF_WORK_UNITS).toBeLessThanOrEqual(BigInt(EPOCH_RULES.computeProof.workUnits));
    // No other path records a second pending proof for the node (a partial unique index)…
    await expect(db.prisma.credential.create({
      data: { id: "0xforged", chainId: 31337, nodeId, owner: alice.address.toLowerCase(), jobId: "compute-poc", fragmentId: "forged", resultHash: `0x${"00".repeat(32)}`, workUnits: "268435456", role: "compute-proof" },
    })).rejects.toThrow();
    // …and the reward rules credit one pass per node and epoch at the fixed weight whatever the
    // credentials say: the node's passes alone in an epoch take at most maxComputeBps of the compute bucket.
    const pool = 10n ** 24n;
    const leaf = (workUnits: bigint, id: string) => ({ id, epoch: 2n, nodeId, owner: alice.address.toLowerCase(), jobId: "compute-poc", fragmentId: id, resultHash: `0x${"11".repeat(32)}`, workUnits, role: "compute-proof" as const });
    const r = computeRewards({ pool, credentials: [leaf(2n * 512n ** 3n, "a"), leaf(2n * 512n ** 3n, "b"), leaf(8192n, "c")], tiers: new Map(), owners: new Map(), stakeSeconds: new Map(), previous: [] });
    expect(r.workUnits).toBe(COMPUTE_PROOF_WORK_UNITS);
    const computeBucket = (pool * BigInt(EPOCH_RULES.split.computeBps)) / 10_000n;
    expect(r.total).toBe((computeBucket * BigInt(EPOCH_RULES.computeProof.maxComputeBps)) / 10_000n);
    expect(r.total * 100n).toBeLessThanOrEqual(computeBucket);
  });

  it("catches a wrong product (one flipped entry), records it and fails the challenge", async () => {
    const ch = await issue(40);
    const c = product(ch);
    c[17 * 40 + 3] = (c[17 * 40 + 3]! + 1) >>> 0;
    const res = await answer(ch.id, encodeProduct(c));
    expect(res.status).toBe(422);
    expect((await errorOf(res)).code).toBe("poc_wrong_product");
    expect((await db.prisma.pocChallenge.findUniqueOrThrow({ where: { id: ch.id } })).status).toBe("failed");
    // the right product after that is a second answer
    const again = await answer(ch.id, encodeProduct(product(ch)));
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("poc_already_answered");
  });

  it("catches a product for another seed and a replayed answer", async () => {
    const first = await issue(32);
    const second = await issue(32);
    // the product of another seed (computed, never sent) fails Freivalds
    const wrongSeed = await answer(second.id, encodeProduct(product({ seed: (second.seed + 1) >>> 0, n: 32 })));
    expect(wrongSeed.status).toBe(422);

    const third = await issue(32);
    const ok = await answer(first.id, encodeProduct(product(first)));
    expect(ok.status).toBe(200);
    const replay = await answer(third.id, encodeProduct(product(first)));
    expect(replay.status).toBe(409);
    expect((await errorOf(replay)).code).toBe("poc_replayed_answer");
    const replaySame = await answer(first.id, encodeProduct(product(first)));
    expect((await errorOf(replaySame)).code).toBe("poc_already_answered");
  });

  it("refuses a late answer (410) and records it", async () => {
    const ch = await issue(16);
    await db.prisma.pocChallenge.update({ where: { id: ch.id }, data: { issuedAt: new Date(Date.now() - 130_000), expiresAt: new Date(Date.now() - 10_000) } });
    const res = await answer(ch.id, encodeProduct(product(ch)));
    expect(res.status).toBe(410);
    expect((await errorOf(res)).code).toBe("poc_expired");
    expect((await db.prisma.pocChallenge.findUniqueOrThrow({ where: { id: ch.id } })).status).toBe("expired");
  });

  it("bad input changes nothing: wrong size, wrong type, impossible time, another wallet, unknown id", async () => {
    const ch = await issue(16);
    const before = (await attempts()).length;
    const right = encodeProduct(product(ch));
    const short = await answer(ch.id, right.slice(4));
    expect(short.status).toBe(400);
    expect((await errorOf(short)).message).toContain("1024 bytes");
    const long = await answer(ch.id, new Uint8Array(right.length + 4));
    expect(long.status).toBe(413);
    expect((await answer(ch.id, right, 5, cookie, "application/json")).status).toBe(415);
    expect((await answer(ch.id, right, "soon")).status).toBe(400);
    const impossible = await answer(ch.id, right, 100_000);
    expect(impossible.status).toBe(400);
    expect((await errorOf(impossible)).message).toContain("since the challenge was issued");
    expect((await answer(ch.id, right, 5, malloryCookie)).status).toBe(403);
    expect((await answer("00000000-0000-4000-8000-000000000000", right)).status).toBe(404);
    expect((await answer("nope", right)).status).toBe(400);
    expect((await attempts()).length).toBe(before);
    expect((await db.prisma.pocChallenge.findUniqueOrThrow({ where: { id: ch.id } })).status).toBe("pending");
    expect((await answer(ch.id, right)).status).toBe(200);
  });

  it("two concurrent answers to one challenge: exactly one decides it", async () => {
    const ch = await issue(24);
    const right = encodeProduct(product(ch));
    const res = await Promise.all([answer(ch.id, right), answer(ch.id, right)]);
    expect(res.map((x) => x.status).sort()).toEqual([200, 409]);
  });

  it("nodeThroughput reports the latest pass and the recorded refusals", async () => {
    const t = await r.nodeThroughput(db.prisma, nodeId, 31337);
    expect(t.passes).toBe(14);
    expect(t.latest?.n).toBe(24);
    expect(t.failures).toEqual({ wrong_product: 2, already_answered: 3, replayed_answer: 1, expired: 1 });
    expect(await r.nodeThroughput(db.prisma, 12345n, 31337)).toEqual({ nodeId: "12345", latest: null, passes: 0, failures: {} });
  });
});
