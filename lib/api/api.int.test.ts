import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createPrismaClient, type PrismaClient } from "@/lib/db/prisma-client";
import { noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { workerAuth } from "@/test/support/fragment-workers";

// Issue 21 items 7 and 11 through the route handlers: malformed numbers are 400s (they were 500s), and
// floods of unauthenticated work are refused before any database round trip (there was no limit).
describe("API input bounds and cheap refusals (Postgres)", () => {
  let db: TestDatabase;
  let dir: string;
  let client: PrismaClient;
  /** Calls the routes made on the shared Prisma client: queries, model operations, transactions. */
  let calls = 0;
  const slot = "7b0c2c57-3a56-4bd4-9f5e-3f6ad3a0c1a1";
  const BIG = (2n ** 63n).toString(); // one past Postgres' bigint
  const r = {} as {
    claim: typeof import("@/app/api/fragments/claim/route");
    heartbeat: typeof import("@/app/api/fragments/[id]/heartbeat/route");
    abandon: typeof import("@/app/api/fragments/[id]/abandon/route");
    poc: typeof import("@/app/api/compute-poc/challenge/route");
    credentials: typeof import("@/app/api/credentials/route");
    tree: typeof import("@/app/api/epochs/[n]/tree/route");
    jobs: typeof import("@/app/api/jobs/route");
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), "corex-api-"));
    // A deployment file, so the epoch route reaches its query (no chain is asked).
    const at = (i: number) => ({ address: `0x${i.toString(16).padStart(40, "0")}`, blockNumber: 1 });
    await writeFile(path.join(dir, "31337.json"), JSON.stringify({ chainId: 31337, deployedAt: "now", contracts: { CXTToken: at(1), Staking: at(2), TaskManager: at(3), ContributionLedger: at(4) } }));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: "http://127.0.0.1:9", CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: dir, DEPLOYMENTS_DIR: dir });
    client = createPrismaClient(db.url);
    const count = <T extends object>(target: T): T =>
      new Proxy(target, {
        get(t, key) {
          const v: unknown = Reflect.get(t, key, t);
          if (typeof v === "function") return (...args: unknown[]) => (calls++, (v as (...a: unknown[]) => unknown).apply(t, args));
          if (v && typeof v === "object" && typeof key === "string" && /^[a-z]/.test(key)) return count(v);
          return v;
        },
      });
    (globalThis as { __corexPrisma?: PrismaClient }).__corexPrisma = count(client);
    r.claim = await import("@/app/api/fragments/claim/route");
    r.heartbeat = await import("@/app/api/fragments/[id]/heartbeat/route");
    r.abandon = await import("@/app/api/fragments/[id]/abandon/route");
    r.poc = await import("@/app/api/compute-poc/challenge/route");
    r.credentials = await import("@/app/api/credentials/route");
    r.tree = await import("@/app/api/epochs/[n]/tree/route");
    r.jobs = await import("@/app/api/jobs/route");
  });
  afterAll(async () => {
    await client?.$disconnect();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
  const post = (p: string, json: unknown, headers: Record<string, string> = {}, peer?: string) => req(p, { method: "POST", json, headers, peer });

  it("7: node ids and epochs beyond a Postgres bigint, and epochs that are no number, are 400 validation_failed", async () => {
    // Signed WorkerAuth headers: before, the id reached the database (and came back as a 500).
    const h = { "x-corex-worker": await workerAuth(privateKeyToAccount(generatePrivateKey()), 2n ** 63n) };
    const answers: [string, Response][] = [
      ["claim", await r.claim.POST(post("/api/fragments/claim", { nodeId: BIG }, h), noCtx)],
      ["claim 10^20", await r.claim.POST(post("/api/fragments/claim", { nodeId: "100000000000000000000" }, h), noCtx)],
      ["heartbeat", await r.heartbeat.POST(post(`/api/fragments/${slot}/heartbeat`, { nodeId: BIG }, h), params({ id: slot }))],
      ["abandon", await r.abandon.POST(post(`/api/fragments/${slot}/abandon`, { nodeId: BIG }, h), params({ id: slot }))],
      ["PoC challenge, unauthenticated", await r.poc.POST(post("/api/compute-poc/challenge", { nodeId: BIG }, h), noCtx)],
      ["credentials ?node", await r.credentials.GET(req(`/api/credentials?node=${BIG}`), noCtx)],
      ["credentials ?epoch", await r.credentials.GET(req(`/api/credentials?epoch=${BIG}`), noCtx)],
      ["epoch tree", await r.tree.GET(req(`/api/epochs/${BIG}/tree`), params({ n: BIG }))],
      ["epoch tree abc", await r.tree.GET(req("/api/epochs/abc/tree"), params({ n: "abc" }))],
      ["epoch tree 0", await r.tree.GET(req("/api/epochs/0/tree"), params({ n: "0" }))],
    ];
    for (const [what, res] of answers) {
      expect(res.status, what).toBe(400);
      expect((await errorOf(res)).code, what).toBe("validation_failed");
    }
    // The largest bigint itself is a valid id: its refusal is the database's (no such node/epoch), not the parser's.
    expect((await r.tree.GET(req("/api/epochs/9223372036854775807/tree"), params({ n: "9223372036854775807" }))).status).toBe(404);
  });

  it("11: a flood of claims with junk signatures is refused before any database round trip once the client's budget is spent", async () => {
    const junk = async () => ({ "x-corex-worker": await workerAuth(privateKeyToAccount(generatePrivateKey()), 1n) });
    const flood = "198.51.100.23";
    const statuses: number[] = [];
    const first = calls;
    for (let i = 0; i < 30; i++) statuses.push((await r.claim.POST(post("/api/fragments/claim", { nodeId: "1" }, await junk(), flood), noCtx)).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(calls - first).toBeGreaterThanOrEqual(30); // each was a signature recovery and a query
    const headers = await Promise.all(Array.from({ length: 200 }, junk));
    const before = calls;
    const started = performance.now();
    const refused = [];
    for (const h of headers) refused.push(await r.claim.POST(post("/api/fragments/claim", { nodeId: "1" }, h, flood), noCtx));
    const ms = (performance.now() - started) / headers.length;
    expect(calls - before).toBe(0);
    for (const res of refused) {
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    console.log(`[api.int] refused claim over budget: ${ms.toFixed(3)} ms each in-process, 0 database calls`);
    // Heartbeats and abandons of the same client share its budget; another client is unaffected.
    expect((await r.heartbeat.POST(post(`/api/fragments/${slot}/heartbeat`, { nodeId: "1" }, await junk(), flood), params({ id: slot }))).status).toBe(429);
    expect((await r.claim.POST(post("/api/fragments/claim", { nodeId: "1" }, await junk(), "198.51.100.24"), noCtx)).status).toBe(401);
  });

  it("11: GET /api/jobs is capped per client without a database round trip", async () => {
    const into = Date.now() % 60_000;
    if (into > 40_000) await new Promise((res) => setTimeout(res, 60_000 - into + 50));
    const peer = "198.51.100.50";
    for (let i = 0; i < 120; i++) expect((await r.jobs.GET(req("/api/jobs", { peer }), noCtx)).status).toBe(200);
    const before = calls;
    const res = await r.jobs.GET(req("/api/jobs", { peer }), noCtx);
    expect(res.status).toBe(429);
    expect((await errorOf(res)).code).toBe("rate_limited");
    expect(calls - before).toBe(0);
    expect((await r.jobs.GET(req("/api/jobs", { peer: "198.51.100.51" }), noCtx)).status).toBe(200);
  });
});
