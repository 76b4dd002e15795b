import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { createPrismaClient, type PrismaClient } from "@/lib/db/prisma-client";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { APP, cookieOf, noCtx, req, useAppEnv } from "@/test/support/app-env";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { serveRoutes } from "@/test/support/route-server";
import { delegationDomain, delegationTypes } from "./delegation";

// Issue 21: each test performs an attack that worked before (items 2, 3, 6, 7, 8) and checks it fails now.
describe("auth abuse: spoofed addresses, wallet lock-out, cross-origin writes, predictable nonces, malformed input (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let blobDir: string;
  let client: PrismaClient;
  /** While set, the routes' `sessionKey.findUnique` calls wait until `size` of them are in flight (a race, made certain). */
  let barrier: { size: number; waiting: (() => void)[] } | null = null;
  let r: {
    nonce: typeof import("@/app/api/auth/nonce/route");
    verify: typeof import("@/app/api/auth/verify/route");
    session: typeof import("@/app/api/auth/session/route");
    logout: typeof import("@/app/api/auth/logout/route");
    keys: typeof import("@/app/api/auth/session-keys/route");
    datasets: typeof import("@/app/api/datasets/route");
  };

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-abuse-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    // The routes' shared client, with a barrier that can hold session-key look-ups (lib/db reads it from globalThis).
    client = createPrismaClient(db.url);
    const keys = new Proxy(client.sessionKey, {
      get(t, k) {
        const v = Reflect.get(t, k, t) as unknown;
        if (typeof v !== "function") return v;
        const f = v as (...a: unknown[]) => unknown;
        if (k !== "findUnique") return f.bind(t);
        return async (...args: unknown[]) => {
          const b = barrier;
          if (b) await new Promise<void>((go) => (b.waiting.push(go), b.waiting.length >= b.size && b.waiting.forEach((w) => w())));
          return f.apply(t, args);
        };
      },
    });
    (globalThis as { __corexPrisma?: PrismaClient }).__corexPrisma = new Proxy(client, {
      get(t, k) {
        if (k === "sessionKey") return keys;
        const v = Reflect.get(t, k, t) as unknown;
        return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    r = {
      nonce: await import("@/app/api/auth/nonce/route"),
      verify: await import("@/app/api/auth/verify/route"),
      session: await import("@/app/api/auth/session/route"),
      logout: await import("@/app/api/auth/logout/route"),
      keys: await import("@/app/api/auth/session-keys/route"),
      datasets: await import("@/app/api/datasets/route"),
    };
  });
  afterAll(async () => {
    await client?.$disconnect();
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
  const nonce = async (peer?: string) => ((await (await r.nonce.GET(req("/api/auth/nonce", { peer }), noCtx)).json()) as { nonce: string }).nonce;
  const message = (address: `0x${string}`, n: string, origin = APP) =>
    createSiweMessage({ address, chainId: 31337, domain: new URL(origin).host, uri: origin, version: "1", nonce: n, issuedAt: new Date() });
  const verify = (json: unknown, peer?: string, headers?: Record<string, string>) => r.verify.POST(req("/api/auth/verify", { method: "POST", json, peer, headers }), noCtx);
  async function signIn(peer?: string): Promise<string> {
    const who = privateKeyToAccount(generatePrivateKey());
    const m = message(who.address, await nonce(peer));
    const res = await verify({ message: m, signature: await who.signMessage({ message: m }) }, peer);
    expect(res.status).toBe(200);
    return cookieOf(res);
  }
  /** Start early in a fixed window, so a burst of requests is counted in one window. */
  async function earlyInWindow(seconds: number) {
    const into = Date.now() % (seconds * 1000);
    if (into > seconds * 1000 - 20_000) await new Promise((res) => setTimeout(res, seconds * 1000 - into + 50));
  }

  it("2: a new X-Forwarded-For does not reset a client's budget, nor make the server store more", async () => {
    await earlyInWindow(60);
    const peer = "198.51.100.7";
    const rows = () => db.prisma.authNonce.count();
    const before = await rows();
    const statuses: number[] = [];
    for (let i = 0; i < 65; i++) {
      const res = await r.nonce.GET(req("/api/auth/nonce", { peer, headers: { "x-forwarded-for": `10.${i}.0.1`, "x-real-ip": `10.${i}.0.2` } }), noCtx);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(60)).toEqual([429, 429, 429, 429, 429]);
    // One client, one budget: 60 nonces and one counter row, however many addresses it claimed.
    expect((await rows()) - before).toBe(60);
    expect(await db.prisma.rateLimit.count({ where: { key: { startsWith: "nonce:" } } })).toBe(1);
  });

  it("2: over real HTTP the address is the TCP peer's, whatever X-Forwarded-For or x-corex-peer the client sends", async () => {
    const { stampPeerAddresses } = await import("@/lib/api");
    stampPeerAddresses();
    const server = await serveRoutes([["GET", /^\/api\/auth\/nonce$/, r.nonce.GET as never]]);
    try {
      await earlyInWindow(60);
      const statuses: number[] = [];
      for (let i = 0; i < 62; i++) {
        const res = await fetch(`${server.url}/api/auth/nonce`, { headers: { "x-forwarded-for": `203.0.113.${i}`, "x-corex-peer": `192.0.2.${i}` } });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(60)).toEqual([429, 429]);
      expect(await db.prisma.rateLimit.findFirst({ where: { key: "nonce:ip:127.0.0.1" } })).toMatchObject({ count: 62 });
    } finally {
      await server.close();
    }
  });

  it("2: expired nonces, counter windows and sessions are swept", async () => {
    const { SWEEP_INTERVAL_MS } = await import("./rate-limit");
    const past = new Date(Date.now() - 1000);
    const future = new Date(Date.now() + 600_000);
    // A nonce is kept for its 10 minutes and 10 more (a late sign-in is told it expired), then swept.
    await db.prisma.authNonce.createMany({ data: [{ nonce: "expiredexpired01", expiresAt: new Date(Date.now() - 11 * 60_000) }, { nonce: "expiredrecently1", expiresAt: past }, { nonce: "livelivelive0001", expiresAt: future }] });
    await db.prisma.rateLimit.createMany({ data: [{ key: "x:old", windowStart: new Date(Date.now() - 120_000), expiresAt: past, count: 3 }, { key: "x:live", windowStart: new Date(), expiresAt: future, count: 1 }] });
    await db.prisma.session.createMany({ data: [{ tokenHash: "old", address: "0x0", chainId: 31337, expiresAt: past }, { tokenHash: "live", address: "0x0", chainId: 31337, expiresAt: future }] });
    // The sweep rides on rate-limited requests, once per SWEEP_INTERVAL_MS per process: one a little later sweeps.
    const { hitRateLimit } = await import("./rate-limit");
    await hitRateLimit(db.prisma, { name: "probe", limit: 10, windowSeconds: 60 }, ["k"], new Date(Date.now() + SWEEP_INTERVAL_MS + 1));
    const nonces = await db.prisma.authNonce.findMany({ where: { nonce: { in: ["expiredexpired01", "expiredrecently1", "livelivelive0001"] } }, select: { nonce: true }, orderBy: { nonce: "asc" } });
    expect(nonces.map((x) => x.nonce)).toEqual(["expiredrecently1", "livelivelive0001"]);
    expect((await db.prisma.rateLimit.findMany({ where: { key: { startsWith: "x:" } }, select: { key: true } })).map((x) => x.key)).toEqual(["x:live"]);
    expect((await db.prisma.session.findMany({ where: { address: "0x0" }, select: { tokenHash: true } })).map((x) => x.tokenHash)).toEqual(["live"]);
  });

  it("3: unsigned requests naming a wallet do not lock its owner out; the sender's failures are what is counted", async () => {
    await earlyInWindow(60);
    const victim = privateKeyToAccount(generatePrivateKey());
    const forged = { message: message(victim.address, "abcdefgh12345678"), signature: `0x${"11".repeat(65)}` };
    const attacker = "198.51.100.66";
    const answers: number[] = [];
    // 31 a minute from ever-new "addresses" locked the wallet before.
    for (let i = 0; i < 31; i++) answers.push((await verify(forged, attacker, { "x-forwarded-for": `172.16.0.${i}` })).status);
    expect(answers.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(answers.slice(10).every((s) => s === 429)).toBe(true);
    // The owner, from its own client, signs in at once.
    const owner = "203.0.113.200";
    const m = message(victim.address, await nonce(owner));
    const res = await verify({ message: m, signature: await victim.signMessage({ message: m }) }, owner);
    expect(res.status).toBe(200);
    expect(await db.prisma.rateLimit.count({ where: { key: { contains: victim.address.toLowerCase() } } })).toBe(0);
  });

  it("8: SIWE nonces are 128 random bits, none a shift of another", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 20; i++) nonces.push(await nonce(`198.18.0.${i}`));
    for (const n of nonces) expect(n).toMatch(/^[0-9a-f]{32}$/);
    // Before: each nonce was the previous one moved along one Math.random() buffer by a character.
    const windows = new Map<string, number>();
    nonces.forEach((n, i) => {
      for (let j = 0; j + 12 <= n.length; j++) {
        const w = n.slice(j, j + 12);
        expect(windows.get(w) ?? i, `nonces ${windows.get(w)} and ${i} share ${w}`).toBe(i);
        windows.set(w, i);
      }
    });
  });

  it("6: a cross-origin page cannot log a user out or upload in their name", async () => {
    const peer = "203.0.113.77";
    const cookie = await signIn(peer);
    const logout = (headers: Record<string, string>) => r.logout.POST(req("/api/auth/logout", { method: "POST", cookie, headers }), noCtx);
    for (const headers of [{ origin: "https://evil.example" }, { origin: "null" }, { "sec-fetch-site": "cross-site" }] as Record<string, string>[]) {
      const res = await logout(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await errorOf(res)).code).toBe("cross_origin");
    }
    expect((await r.session.GET(req("/api/auth/session", { cookie }), noCtx)).status).toBe(200);

    const form = new FormData();
    form.append("label", "y");
    form.append("file", new Blob(["a,y\n1,0\n2,1\n3,0\n4,1\n"], { type: "text/csv" }), "x.csv");
    const upload = await r.datasets.POST(req("/api/datasets", { method: "POST", cookie, body: form, headers: { origin: "https://evil.example" } }), noCtx);
    expect(upload.status).toBe(403);
    expect(await db.prisma.dataset.count({ where: { owner: { not: null } } })).toBe(0);

    // The app's own pages (Origin = its host), and clients that are not browsers (no Origin), still can.
    expect((await logout({ origin: APP, "sec-fetch-site": "same-origin" })).status).toBe(204);
    expect((await r.session.GET(req("/api/auth/session", { cookie }), noCtx)).status).toBe(401);
    const cli = await signIn(peer);
    expect((await r.logout.POST(req("/api/auth/logout", { method: "POST", cookie: cli }), noCtx)).status).toBe(204);
  });

  it("6: over HTTPS the session cookie is __Host- prefixed, and the bare name is not accepted there", async () => {
    const origin = "https://localhost:3000";
    const https = (p: string, init: RequestInit & { json?: unknown } = {}) =>
      new Request(`${origin}${p}`, { ...init, headers: { host: "localhost:3000", ...(init.json ? { "content-type": "application/json" } : {}), ...(init.headers as Record<string, string>) }, body: init.json ? JSON.stringify(init.json) : init.body });
    const who = privateKeyToAccount(generatePrivateKey());
    const m = message(who.address, await nonce("203.0.113.78"), origin);
    const res = await r.verify.POST(https("/api/auth/verify", { method: "POST", json: { message: m, signature: await who.signMessage({ message: m }) } }), noCtx);
    expect(res.status).toBe(200);
    const [session] = res.headers.getSetCookie();
    expect(session).toMatch(/^__Host-corex_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Expires=[^;]+; Secure$/);
    const token = session!.split(";")[0]!.split("=")[1]!;
    expect((await r.session.GET(https("/api/auth/session", { headers: { cookie: `__Host-corex_session=${token}` } }), noCtx)).status).toBe(200);
    // A cookie a sibling subdomain or a plain-http page could have planted is not a session over HTTPS.
    expect((await r.session.GET(https("/api/auth/session", { headers: { cookie: `corex_session=${token}` } }), noCtx)).status).toBe(401);
  });

  it("7: an undecodable session cookie is no session (401), not a 500", async () => {
    for (const cookie of ["corex_session=%E0%A4%A", "corex_session=%"]) {
      const res = await r.session.GET(req("/api/auth/session", { cookie }), noCtx);
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe("unauthorized");
    }
  });

  describe("7: session keys", () => {
    const alice = privateKeyToAccount(generatePrivateKey());
    let cookie: string;
    beforeAll(async () => {
      // alice's node in the mirror (what the indexer would write for her registerNode).
      await db.prisma.node.create({
        data: {
          chainId: 31337, nodeId: 7n, owner: alice.address.toLowerCase(), kind: "cpu", active: true, tier: 1, metadataUri: "corex://test", registeredAt: new Date(),
          stake: "0", unbonding: "0", slashCount: 0, workUnits: "0", registeredBlock: 1n, updatedBlock: 1n,
        },
      });
      const m = message(alice.address, await nonce("203.0.113.90"));
      cookie = cookieOf(await verify({ message: m, signature: await alice.signMessage({ message: m }) }, "203.0.113.90"));
    });
    const delegation = async (key: `0x${string}`, nodeId: bigint) => {
      const expiresAt = Math.floor(Date.now() / 1000) + 3600;
      const signature = await alice.signTypedData({ domain: delegationDomain(31337), types: delegationTypes, primaryType: "SessionKeyDelegation", message: { sessionKey: key, nodeId, expiresAt: BigInt(expiresAt) } });
      return { sessionKey: key, nodeId: nodeId.toString(), expiresAt, signature };
    };
    const post = (json: unknown) => r.keys.POST(req("/api/auth/session-keys", { method: "POST", json, cookie }), noCtx);

    it("registers one key once when 20 registrations race: one 201, the rest 409, no 500", async () => {
      const body = await delegation(privateKeyToAccount(generatePrivateKey()).address, 7n);
      // All 20 past the "already registered?" look-up before any inserts: what happened 2 times in 20 by chance.
      barrier = { size: 20, waiting: [] };
      try {
        const statuses = (await Promise.all(Array.from({ length: 20 }, () => post(body)))).map((x) => x.status);
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      } finally {
        barrier = null;
      }
    });

    it("refuses node ids beyond a Postgres bigint with 400 naming the field", async () => {
      for (const nodeId of [2n ** 63n, 10n ** 20n]) {
        const res = await post(await delegation(privateKeyToAccount(generatePrivateKey()).address, nodeId));
        expect(res.status).toBe(400);
        expect(await errorOf(res)).toMatchObject({ code: "validation_failed", message: expect.stringContaining("nodeId") });
      }
    });
  });
});
