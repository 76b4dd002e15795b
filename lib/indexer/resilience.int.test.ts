// Operational guarantees of the indexer: one indexer per chain and database, and recovery from RPC
// and database failures injected into a running indexer (the mirror still equals the chain).
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/prisma-client";
import { parseDatabaseUrl } from "@/lib/db/url";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { connectChain, Workload, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { mirrorDiffs, snapshotMirror } from "@/test/support/mirror";
import { startRpcProxy } from "@/test/support/rpc-proxy";
import { runIndexer } from "./indexer";
import { getIndexerStatus } from "./status";

type Cli = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number, detail: () => string = () => ""): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await sleep(50);
  }
}

describe("indexer operations", () => {
  let anvil: AnvilInstance;
  let ctx: ChainCtx;
  let w: Workload;
  const dbs: TestDatabase[] = [];
  const children: ChildProcess[] = [];
  const freshDb = async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    return db;
  };
  const headOf = async () => Number(await ctx.client.getBlockNumber());

  beforeAll(async () => {
    anvil = await startAnvil();
    ctx = await connectChain(anvil.rpcUrl);
    w = new Workload(ctx, 7);
    await w.bootstrap();
    await w.run(60);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    for (const db of dbs) await db.drop().catch(() => {});
    await anvil?.stop();
  });

  function startCli(db: TestDatabase, args: string[] = []): Cli {
    let out = "";
    // node itself (not the tsx wrapper, which would leave its node child running after SIGKILL)
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/indexer.ts", ...args], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        RPC_URL: anvil.rpcUrl,
        CHAIN_ID: String(ctx.chainId),
        INDEXER_CONTRACTS: JSON.stringify(ctx.contracts),
        INDEXER_POLL_MS: "50",
        INDEXER_FINALITY_DEPTH: "256",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    return { child, output: () => out, exited };
  }

  it("a second indexer on the same database refuses to run; a kill -9 of the first frees the way at once", async () => {
    const db = await freshDb();
    const first = startCli(db);
    const caughtUp = async () => (await getIndexerStatus(db.prisma, ctx.chainId)).checkpoint === (await headOf());
    await until("the first indexer to reach the head", caughtUp, 60_000, first.output);
    const before = await snapshotMirror(db.prisma, ctx.chainId);

    const second = startCli(db);
    const code = await Promise.race([second.exited, sleep(20_000).then(() => "still running")]);
    expect(code, `the second indexer did not refuse:\n${second.output()}`).toBe(1);
    expect(second.output()).toMatch(/another indexer is already running for chain 31337 on this database/);
    expect(first.child.exitCode, `the first indexer stopped:\n${first.output()}`).toBeNull();
    expect(await snapshotMirror(db.prisma, ctx.chainId)).toEqual(before);

    first.child.kill("SIGKILL");
    await first.exited;
    const third = startCli(db);
    await w.run(5);
    await until("the successor to index new blocks", caughtUp, 60_000, third.output);
    expect(third.child.exitCode, third.output()).toBeNull();
    third.child.kill("SIGINT");
    expect(await third.exited).toBe(0);
    expect(await mirrorDiffs(db.prisma, ctx)).toEqual([]);
  });

  it("recovers from dropped, refused (503) and timed-out RPC requests; the mirror equals the chain", async () => {
    const db = await freshDb();
    const proxy = await startRpcProxy(anvil.rpcUrl, 11);
    const logs: string[] = [];
    try {
      proxy.setFaults({ rate: 0.3, delayMs: 1_000 });
      await runIndexer({
        prisma: db.prisma,
        rpcUrl: proxy.url,
        chainId: ctx.chainId,
        contracts: ctx.contracts,
        stopAtHead: true,
        finalityDepth: 256,
        maxBlockRange: 5,
        concurrency: 2,
        rpcTimeoutMs: 400,
        log: (m) => logs.push(m),
      });
    } finally {
      await proxy.close();
    }
    expect(proxy.injected.drop).toBeGreaterThan(0);
    expect(proxy.injected["503"]).toBeGreaterThan(0);
    expect(proxy.injected.delay).toBeGreaterThan(0);
    expect(logs.some((l) => /retrying after error/.test(l))).toBe(true);
    expect((await getIndexerStatus(db.prisma, ctx.chainId)).checkpoint).toBe(await headOf());
    expect(await mirrorDiffs(db.prisma, ctx)).toEqual([]);
  });

  it("recovers when its database connections are killed while it follows the head; the mirror equals the chain", async () => {
    const db = await freshDb();
    // The indexer's own client, tagged so that only its connections are terminated.
    const u = new URL(db.url);
    u.searchParams.set("application_name", "corex-indexer-under-test");
    const prisma = createPrismaClient(u.toString());
    const admin = new pg.Client({ connectionString: parseDatabaseUrl(db.url).connectionString });
    await admin.connect();
    const ac = new AbortController();
    const logs: string[] = [];
    let terminated = 0;
    try {
      const running = runIndexer({
        prisma,
        rpcUrl: anvil.rpcUrl,
        chainId: ctx.chainId,
        contracts: ctx.contracts,
        finalityDepth: 256,
        maxBlockRange: 3,
        concurrency: 2,
        pollIntervalMs: 50,
        signal: ac.signal,
        log: (m) => logs.push(m),
      });
      let failed: unknown;
      running.catch((e) => (failed = e));
      // Kill its connections again and again while it backfills and while new blocks arrive.
      for (let i = 0; i < 8 && !failed; i++) {
        const { rowCount } = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'corex-indexer-under-test' AND pid <> pg_backend_pid()`,
        );
        terminated += rowCount ?? 0;
        await w.run(2);
        await sleep(100);
      }
      expect(failed, `the indexer stopped: ${String(failed)}\n${logs.join("\n")}`).toBeUndefined();
      const head = await headOf();
      await until("the indexer to reach the head after the failures", async () => (await getIndexerStatus(db.prisma, ctx.chainId)).checkpoint === head, 60_000, () => `${String(failed)}\n${logs.join("\n")}`);
      ac.abort();
      await running;
    } finally {
      ac.abort();
      await admin.end();
      await prisma.$disconnect();
    }
    expect(terminated).toBeGreaterThan(0);
    expect(logs.some((l) => /error \(will retry\)|retrying after error/.test(l))).toBe(true);
    expect(await mirrorDiffs(db.prisma, ctx)).toEqual([]);
  });
});
