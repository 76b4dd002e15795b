import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAddress } from "viem";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { stakingAbi } from "@/contracts-abi/staking";
import { runIndexer } from "@/lib/indexer/indexer";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { APP, cookieOf, noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { delegationDomain, delegationTypes } from "./delegation";

type Routes = {
  nonce: typeof import("@/app/api/auth/nonce/route");
  verify: typeof import("@/app/api/auth/verify/route");
  session: typeof import("@/app/api/auth/session/route");
  logout: typeof import("@/app/api/auth/logout/route");
  keys: typeof import("@/app/api/auth/session-keys/route");
  key: typeof import("@/app/api/auth/session-keys/[key]/route");
};

describe("Sign-In with Ethereum, sessions and session keys (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let chain: ChainCtx;
  let r: Routes;
  const alice = privateKeyToAccount(generatePrivateKey());
  const mallory = privateKeyToAccount(generatePrivateKey());

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", ADMIN_ADDRESSES: alice.address });
    r = {
      nonce: await import("@/app/api/auth/nonce/route"),
      verify: await import("@/app/api/auth/verify/route"),
      session: await import("@/app/api/auth/session/route"),
      logout: await import("@/app/api/auth/logout/route"),
      keys: await import("@/app/api/auth/session-keys/route"),
      key: await import("@/app/api/auth/session-keys/[key]/route"),
    };
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
  });

  const nonce = async () => ((await (await r.nonce.GET(req("/api/auth/nonce"), noCtx)).json()) as { nonce: string }).nonce;
  const message = (address: `0x${string}`, n: string, over: Partial<Parameters<typeof createSiweMessage>[0]> = {}) =>
    createSiweMessage({ address, chainId: 31337, domain: "localhost:3000", uri: APP, version: "1", nonce: n, issuedAt: new Date(), statement: "Sign in to Corex Network", ...over });
  const verify = (msg: string, signature: string, peer?: string) => r.verify.POST(req("/api/auth/verify", { method: "POST", json: { message: msg, signature }, peer }), noCtx);
  const sessions = () => db.prisma.session.count();
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

  it("issues alphanumeric one-time nonces of at least 8 characters kept in Postgres", async () => {
    const n = await nonce();
    expect(n).toMatch(/^[a-zA-Z0-9]{8,}$/);
    const row = await db.prisma.authNonce.findUnique({ where: { nonce: n } });
    expect(row?.usedAt).toBeNull();
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(10 * 60_000);
  });

  it("signs in with a real signature, sets an httpOnly SameSite=Lax Secure cookie, and the session answers", async () => {
    const n = await nonce();
    const msg = message(alice.address, n);
    const res = await verify(msg, await alice.signMessage({ message: msg }));
    expect(res.status).toBe(200);
    const [setCookie, hint] = res.headers.getSetCookie();
    expect(setCookie).toMatch(/^corex_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Secure/); // NODE_ENV=test is not development
    // The readable "signed in" hint carries no token.
    expect(hint).toMatch(/^corex_signed_in=1;/);
    expect(hint).not.toMatch(/HttpOnly/);
    const cookie = cookieOf(res);
    const s = await r.session.GET(req("/api/auth/session", { cookie }), noCtx);
    expect(s.status).toBe(200);
    expect(((await s.json()) as { address: string }).address).toBe(alice.address);
    expect((await db.prisma.authNonce.findUnique({ where: { nonce: n } }))?.usedAt).not.toBeNull();

    // The same message replayed: the nonce is spent.
    const before = await sessions();
    const replay = await verify(msg, await alice.signMessage({ message: msg }));
    expect(replay.status).toBe(401);
    expect((await errorOf(replay)).code).toBe("siwe_nonce_used");
    expect(await sessions()).toBe(before);

    // Logout revokes the session server-side.
    const out = await r.logout.POST(req("/api/auth/logout", { method: "POST", cookie }), noCtx);
    expect(out.status).toBe(204);
    expect((await r.session.GET(req("/api/auth/session", { cookie }), noCtx)).status).toBe(401);
  });

  const refused: [string, (n: string, peer: string) => Promise<Response>, string][] = [
    ["expired", async (n, peer) => { const m = message(alice.address, n, { expirationTime: new Date(Date.now() - 1000) }); return verify(m, await alice.signMessage({ message: m }), peer); }, "siwe_expired"],
    ["wrong domain", async (n, peer) => { const m = message(alice.address, n, { domain: "evil.example:3000" }); return verify(m, await alice.signMessage({ message: m }), peer); }, "siwe_domain_mismatch"],
    ["wrong uri", async (n, peer) => { const m = message(alice.address, n, { uri: "https://evil.example/" }); return verify(m, await alice.signMessage({ message: m }), peer); }, "siwe_uri_mismatch"],
    ["wrong chain id", async (n, peer) => { const m = message(alice.address, n, { chainId: 1 }); return verify(m, await alice.signMessage({ message: m }), peer); }, "siwe_chain_mismatch"],
    ["wrong signer", async (n, peer) => { const m = message(alice.address, n); return verify(m, await mallory.signMessage({ message: m }), peer); }, "siwe_bad_signature"],
    ["nonce never issued", async (_n, peer) => { const m = message(alice.address, "abcdefgh12345678"); return verify(m, await alice.signMessage({ message: m }), peer); }, "siwe_nonce_unknown"],
  ];
  for (const [i, [name, attempt, code]] of refused.entries()) {
    it(`refuses a message with ${name}: 401 ${code}, no session, nonce not consumed`, async () => {
      const n = await nonce();
      const before = await sessions();
      // Each from its own client: failed sign-ins count per client (10 per 10 minutes).
      const res = await attempt(n, `192.0.2.${i + 1}`);
      expect(res.status).toBe(401);
      const err = await errorOf(res);
      expect(err.code).toBe(code);
      expect(err.message.length).toBeGreaterThan(5);
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(await sessions()).toBe(before);
      expect((await db.prisma.authNonce.findUnique({ where: { nonce: n } }))?.usedAt).toBeNull();
    });
  }

  it("answers bad bodies with 4xx in the one error shape", async () => {
    const strict = await r.verify.POST(req("/api/auth/verify", { method: "POST", json: { message: "x", signature: "0x00", extra: 1 } }), noCtx);
    expect(strict.status).toBe(400);
    expect(await errorOf(strict)).toMatchObject({ code: "validation_failed" });
    const notJson = await r.verify.POST(req("/api/auth/verify", { method: "POST", body: "{", headers: { "content-type": "application/json" } }), noCtx);
    expect((await errorOf(notJson)).code).toBe("invalid_json");
    const big = await r.verify.POST(req("/api/auth/verify", { method: "POST", json: { message: "x".repeat(40_000), signature: "0x00" } }), noCtx);
    expect(big.status).toBe(413);
    const form = await r.verify.POST(req("/api/auth/verify", { method: "POST", body: "a=b", headers: { "content-type": "application/x-www-form-urlencoded" } }), noCtx);
    expect(form.status).toBe(415);
    const garbage = await verify("hello", "0x1234");
    expect(garbage.status).toBe(401);
    expect((await errorOf(garbage)).code).toBe("siwe_invalid_message");
  });

  it("rate-limits nonces per client in Postgres (shared by every instance)", async () => {
    const peer = "203.0.113.9";
    // The budget is a fixed 60 s window: requests that straddle a window's end start a fresh count.
    // Start early in a window (the 63 requests take well under 20 s even on a loaded machine).
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 40_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 50));
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++) statuses.push((await r.nonce.GET(req("/api/auth/nonce", { peer }), noCtx)).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    const last = await r.nonce.GET(req("/api/auth/nonce", { peer }), noCtx);
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await errorOf(last)).code).toBe("rate_limited");
    // Another client is unaffected.
    expect((await r.nonce.GET(req("/api/auth/nonce", { peer: "203.0.113.10" }), noCtx)).status).toBe(200);
  });

  describe("worker session keys", () => {
    let cookie: string;
    let nodeId: bigint;
    const sessionKey = privateKeyToAccount(generatePrivateKey());

    beforeAll(async () => {
      chain = await connectChain(anvil.rpcUrl);
      // alice registers a node on chain (funded by anvil), the indexer mirrors it.
      await chain.client.setBalance({ address: alice.address, value: 10n ** 19n });
      const hash = await chain.client.writeContract({ account: alice, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "registerNode", args: [3, "corex://test/browser"] });
      await chain.client.waitForTransactionReceipt({ hash });
      await runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });
      nodeId = (await db.prisma.node.findFirstOrThrow({ where: { owner: alice.address.toLowerCase() } })).nodeId;
      const n = await nonce();
      const msg = message(alice.address, n);
      cookie = cookieOf(await verify(msg, await alice.signMessage({ message: msg })));
    });

    const delegation = async (signer = alice, over: { expiresAt?: number; nodeId?: bigint; key?: `0x${string}` } = {}) => {
      const expiresAt = over.expiresAt ?? Math.floor(Date.now() / 1000) + 3600;
      const key = over.key ?? sessionKey.address;
      const signature = await signer.signTypedData({
        domain: delegationDomain(31337), types: delegationTypes, primaryType: "SessionKeyDelegation",
        message: { sessionKey: key, nodeId: over.nodeId ?? nodeId, expiresAt: BigInt(expiresAt) },
      });
      return { sessionKey: key, nodeId: String(over.nodeId ?? nodeId), expiresAt, signature };
    };
    const post = (json: unknown, c = cookie) => r.keys.POST(req("/api/auth/session-keys", { method: "POST", json, cookie: c }), noCtx);

    it("needs a session before it reads the body", async () => {
      const res = await r.keys.POST(req("/api/auth/session-keys", { method: "POST", body: "not json at all", headers: { "content-type": "application/json" } }), noCtx);
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe("unauthorized");
    });

    it("refuses a delegation signed by another wallet, for another node, or longer than 24 h", async () => {
      for (const body of [
        await delegation(mallory),
        await delegation(alice, { nodeId: nodeId + 100n }),
        await delegation(alice, { expiresAt: Math.floor(Date.now() / 1000) + 24 * 3600 + 120 }),
        await delegation(alice, { expiresAt: Math.floor(Date.now() / 1000) - 10 }),
      ]) {
        const res = await post(body);
        expect(res.status).toBe(422);
        expect((await errorOf(res)).code).toBe("invalid_delegation");
      }
      expect(await db.prisma.sessionKey.count()).toBe(0);
    });

    it("registers a delegated key, resolves it, and revocation ends it", async () => {
      const { mayActForNode } = await import("./session-keys");
      expect(await mayActForNode(db.prisma, 31337, sessionKey.address, nodeId)).toBeNull();
      const res = await post(await delegation());
      expect(res.status).toBe(201);
      expect(await mayActForNode(db.prisma, 31337, sessionKey.address, nodeId)).toBe("session-key");
      expect(await mayActForNode(db.prisma, 31337, alice.address, nodeId)).toBe("owner");
      expect(await mayActForNode(db.prisma, 31337, sessionKey.address, nodeId + 1n)).toBeNull();
      expect(await mayActForNode(db.prisma, 31337, mallory.address, nodeId)).toBeNull();
      // a second registration of the same key is refused
      expect((await post(await delegation())).status).toBe(409);
      // expiry is enforced
      // expiry is enforced, by the one rule the fragments API runs (nodeAuthority's SQL): live until expiresAt, not at it
      const expiresAt = (await db.prisma.sessionKey.findUniqueOrThrow({ where: { keyAddress: sessionKey.address.toLowerCase() } })).expiresAt;
      expect(await mayActForNode(db.prisma, 31337, sessionKey.address, nodeId, new Date(expiresAt.getTime() - 1000))).toBe("session-key");
      expect(await mayActForNode(db.prisma, 31337, sessionKey.address, nodeId, expiresAt)).toBeNull();
      expect(await mayActForNode(db.prisma, 31337, sessionKey.address, nodeId, new Date(Date.now() + 2 * 3600_000))).toBeNull();
      expect(await mayActForNode(db.prisma, 31337, alice.address, nodeId, new Date(Date.now() + 2 * 3600_000))).toBe("owner");
      const list = (await (await r.keys.GET(req("/api/auth/session-keys", { cookie }), noCtx)).json()) as { sessionKeys: { sessionKey: string }[] };
      expect(list.sessionKeys.map((k) => k.sessionKey)).toEqual([getAddress(sessionKey.address)]);
      const del = await r.key.DELETE(req(`/api/auth/session-keys/${sessionKey.address}`, { method: "DELETE", cookie }), params({ key: sessionKey.address }));
      expect(del.status).toBe(204);
      expect(await mayActForNode(db.prisma, 31337, sessionKey.address, nodeId)).toBeNull();
    });
  });

  it("two concurrent sign-ins with one SIWE message open exactly one session", async () => {
    // a fresh wallet each: the per-address verify rate limit of the other tests does not apply
    const carol = privateKeyToAccount(generatePrivateKey());
    const before = await sessions();
    const m = message(carol.address, await nonce());
    const sig = await carol.signMessage({ message: m });
    const answers = await Promise.all(Array.from({ length: 4 }, () => verify(m, sig)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401]);
    for (const a of answers.filter((x) => x.status === 401)) expect((await errorOf(a)).code).toBe("siwe_nonce_used");
    expect(await sessions()).toBe(before + 1);
  });

  it("an expired nonce signs nobody in and is not consumed; an expired session is no session", async () => {
    const dave = privateKeyToAccount(generatePrivateKey());
    const n = await nonce();
    await db.prisma.authNonce.update({ where: { nonce: n }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await sessions();
    const m = message(dave.address, n);
    const res = await verify(m, await dave.signMessage({ message: m }));
    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toMatch(/nonce expired/);
    expect(await sessions()).toBe(before);
    expect((await db.prisma.authNonce.findUniqueOrThrow({ where: { nonce: n } })).usedAt).toBeNull();

    const m2 = message(dave.address, await nonce());
    const cookie = cookieOf(await verify(m2, await dave.signMessage({ message: m2 })));
    expect((await r.session.GET(req("/api/auth/session", { cookie }), noCtx)).status).toBe(200);
    const { findSession, readCookie, SESSION_COOKIE } = await import("./session");
    const token = readCookie(req("/", { cookie }), SESSION_COOKIE)!;
    const s = await findSession(db.prisma, token);
    expect(await findSession(db.prisma, token, new Date(s!.expiresAt.getTime() - 1000))).not.toBeNull();
    expect(await findSession(db.prisma, token, s!.expiresAt)).toBeNull();
    const { hashToken } = await import("./siwe");
    await db.prisma.session.update({ where: { tokenHash: hashToken(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await r.session.GET(req("/api/auth/session", { cookie }), noCtx)).status).toBe(401);
  });

  it("admin guard: 401 without a session, 403 for a non-admin, the allow-listed wallet passes", async () => {
    const { requireAdmin } = await import("./session");
    const admins = [alice.address];
    await expect(requireAdmin(db.prisma, req("/api/admin"), admins)).rejects.toMatchObject({ status: 401 });
    const signIn = async (who: typeof alice) => {
      const m = message(who.address, await nonce());
      return cookieOf(await verify(m, await who.signMessage({ message: m })));
    };
    await expect(requireAdmin(db.prisma, req("/api/admin", { cookie: await signIn(mallory) }), admins)).rejects.toMatchObject({ status: 403 });
    await expect(requireAdmin(db.prisma, req("/api/admin", { cookie: await signIn(alice) }), admins)).resolves.toMatchObject({ address: alice.address });
  });
});
