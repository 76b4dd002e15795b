// /api/health through its route handler, configured only by the environment, as the app runs it:
// 200 when everything is up, 503 with the reason when the database is down, the chain unreachable
// or on the wrong chain id, the indexer lags, or the indexer is dead on an idle chain.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/lib/db/prisma-client";
import { runIndexer, type IndexerOptions } from "@/lib/indexer/indexer";
import { freePort } from "@/scripts/lib/processes";
import { deployAll } from "@/scripts/contracts/deploy";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import type { Health } from "./index";

const g = globalThis as { __corexPrisma?: PrismaClient };
const ENV_KEYS = ["DATABASE_URL", "RPC_URL", "CHAIN_ID", "DEPLOYMENTS_DIR", "INDEXER_MAX_LAG", "INDEXER_HEARTBEAT_TIMEOUT"] as const;

describe("GET /api/health", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let deploymentsDir: string;
  let contracts: IndexerOptions["contracts"];
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  const clients: PrismaClient[] = [];

  /** A fresh app module graph (env is validated and cached once per process) answering one request. */
  async function health(env: Partial<Record<(typeof ENV_KEYS)[number], string>> = {}): Promise<{ status: number; body: Health }> {
    vi.resetModules();
    delete g.__corexPrisma;
    Object.assign(process.env, { DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", DEPLOYMENTS_DIR: deploymentsDir, INDEXER_MAX_LAG: "20", INDEXER_HEARTBEAT_TIMEOUT: "30" }, env);
    const { GET } = await import("@/app/api/health/route");
    const res = await GET();
    if (g.__corexPrisma) clients.push(g.__corexPrisma);
    return { status: res.status, body: (await res.json()) as Health };
  }
  const index = (extra: Partial<IndexerOptions> = {}) =>
    runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts, stopAtHead: true, log: () => {}, ...extra });

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    deploymentsDir = await mkdtemp(path.join(os.tmpdir(), "corex-health-"));
    const d = await deployAll({ rpcUrl: anvil.rpcUrl, deploymentsDir });
    contracts = Object.entries(d.contracts).map(([name, c]) => ({ name: name as never, address: c.address, startBlock: c.blockNumber }));
    await index();
  });
  afterAll(async () => {
    for (const c of clients) await c.$disconnect().catch(() => {});
    for (const k of ENV_KEYS) if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
    await db?.drop();
    await anvil?.stop();
    if (deploymentsDir) await rm(deploymentsDir, { recursive: true, force: true });
  });

  it("answers 200 when database, chain and indexer are all up", async () => {
    const { status, body } = await health();
    expect(body).toMatchObject({ status: "ok", database: { ok: true }, chain: { ok: true, chainId: 31337 }, indexer: { ok: true, lag: 0 } });
    expect(status).toBe(200);
  });

  it("answers 503 when the database is down, and still reports the chain", async () => {
    const { status, body } = await health({ DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/nowhere` });
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: "down", database: { ok: false }, chain: { ok: true }, indexer: { ok: false, error: "database down" } });
  });

  it("answers 503 when the chain is unreachable", async () => {
    const { status, body } = await health({ RPC_URL: `http://127.0.0.1:${await freePort()}` });
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: "down", database: { ok: true }, chain: { ok: false } });
    expect(body.chain.error).toMatch(/RPC unreachable/);
  });

  it("answers 503 when the RPC serves another chain id", async () => {
    const { status, body } = await health({ CHAIN_ID: "8453" });
    expect(status).toBe(503);
    expect(body.chain).toMatchObject({ ok: false, chainId: 31337, expectedChainId: 8453 });
    expect(body.chain.error).toMatch(/serves chain 31337, expected 8453/);
  });

  it("answers 503 when the indexer lags more than INDEXER_MAX_LAG blocks, 200 once it caught up", async () => {
    await fetch(anvil.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_mine", params: ["0x1e"] }) });
    const lagging = await health({ INDEXER_MAX_LAG: "20" });
    expect(lagging.status).toBe(503);
    expect(lagging.body.indexer).toMatchObject({ ok: false, lag: 30 });
    expect(lagging.body.indexer.error).toMatch(/lag 30 blocks exceeds 20/);
    expect((await health({ INDEXER_MAX_LAG: "30" })).status).toBe(200);
    await index();
    expect((await health({ INDEXER_MAX_LAG: "0" })).status).toBe(200);
  });

  it("tells a dead indexer from an idle chain by its heartbeat", async () => {
    const { Prisma } = await import("@/lib/db");
    const sql = Prisma.sql;
    /** Polls a one-row `ok` query until it is true (10 s at most). */
    const until = async (q: ReturnType<typeof sql>) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [row] = await db.prisma.$queryRaw<{ ok: boolean }[]>(q);
        if (row?.ok) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for: ${q.sql}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const ac = new AbortController();
    const running = index({ stopAtHead: false, pollIntervalMs: 50, heartbeatMs: 200, signal: ac.signal });
    try {
      // Idle chain, live indexer: no new block for longer than the timeout, still healthy. Waits for
      // exactly that (by the database's clock, which health reads), not for a fixed time.
      await until(sql`SELECT now() - updated_at > interval '1.2 seconds' AND heartbeat_at > updated_at + interval '1 second' AS ok FROM indexer_checkpoints`);
      const alive = await health({ INDEXER_HEARTBEAT_TIMEOUT: "1" });
      expect(alive.body.indexer).toMatchObject({ ok: true, lag: 0 });
      expect(alive.status).toBe(200);
    } finally {
      ac.abort();
      await running;
    }
    // Idle chain, dead indexer: the lag stays 0, the heartbeat stops (and has been silent past the timeout).
    await until(sql`SELECT now() - heartbeat_at > interval '1.2 seconds' AS ok FROM indexer_checkpoints`);
    const dead = await health({ INDEXER_HEARTBEAT_TIMEOUT: "1" });
    expect(dead.status).toBe(503);
    expect(dead.body.indexer).toMatchObject({ ok: false, lag: 0 });
    expect(dead.body.indexer.error).toMatch(/no indexer heartbeat for \d+ s \(limit 1 s\)/);
  });
});
