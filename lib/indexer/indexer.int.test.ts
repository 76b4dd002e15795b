import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { connectChain, Workload, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { mirrorDiffs, snapshotMirror } from "@/test/support/mirror";
import { getIndexerStatus } from "./status";
import { DeepReorgError } from "./errors";
import { runIndexer, type IndexerOptions } from "./indexer";

const quiet = () => {};

describe("indexer against anvil + Postgres", () => {
  let anvil: AnvilInstance;
  let ctx: ChainCtx;
  let db: TestDatabase;
  let w: Workload;
  const index = (extra: Partial<IndexerOptions> = {}, database = db) =>
    runIndexer({ prisma: database.prisma, rpcUrl: anvil.rpcUrl, chainId: ctx.chainId, contracts: ctx.contracts, stopAtHead: true, finalityDepth: 256, log: quiet, ...extra });

  beforeAll(async () => {
    anvil = await startAnvil();
    ctx = await connectChain(anvil.rpcUrl);
    db = await createTestDatabase();
    w = new Workload(ctx, 42);
    await w.bootstrap();
    await w.run(120);
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
  });

  it("backfills a random workload into a mirror equal to the chain, field by field", async () => {
    await index({ maxBlockRange: 7, concurrency: 3 });
    expect(await mirrorDiffs(db.prisma, ctx)).toEqual([]);
    const head = Number(await ctx.client.getBlockNumber());
    const status = await getIndexerStatus(db.prisma, ctx.chainId);
    expect(status).toMatchObject({ checkpoint: head, head, lag: 0 });
    const events = await db.prisma.chainEvent.count();
    expect(status.eventsIndexed).toBe(events);
    expect(events).toBeGreaterThan(200);
    // raw events are unique per (block, hash, tx, log index), and nothing was lost: every log of the followed contracts is there
    const logs = await ctx.client.request({ method: "eth_getLogs", params: [{ address: ctx.contracts.map((c) => c.address), fromBlock: "0x0", toBlock: "latest" }] } as never) as unknown[];
    expect(events).toBe(logs.length);
    // The workload reached the contracts-v2 events too: governance, proposals, cancel requests, bonded disputes.
    expect(await db.prisma.governanceVote.count()).toBeGreaterThan(0);
    expect(await db.prisma.governanceDelegation.count()).toBeGreaterThan(0);
    expect(await db.prisma.proposalVote.count()).toBeGreaterThan(0);
    expect(await db.prisma.task.count({ where: { cancelReclaimableAt: { not: null } } })).toBeGreaterThan(0);
    expect(await db.prisma.epoch.count({ where: { disputeBond: { not: null } } })).toBeGreaterThan(0);
  });

  it("follows the head while new transactions arrive", async () => {
    const ac = new AbortController();
    const running = index({ stopAtHead: false, pollIntervalMs: 50, signal: ac.signal });
    await w.run(40);
    const head = Number(await ctx.client.getBlockNumber());
    for (let i = 0; i < 200 && (await getIndexerStatus(db.prisma, ctx.chainId)).checkpoint !== head; i++) await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    await running;
    expect((await getIndexerStatus(db.prisma, ctx.chainId)).checkpoint).toBe(head);
    expect(await mirrorDiffs(db.prisma, ctx)).toEqual([]);
  });

  it("reverts and re-indexes across reorgs (evm_revert to an earlier block, then a different history)", async () => {
    await index();
    const snap = (await ctx.client.request({ method: "evm_snapshot", params: [] } as never)) as string;
    const saved = w.saveState();
    await w.run(25); // history A, indexed below
    await index();
    const statusA = await getIndexerStatus(db.prisma, ctx.chainId);
    await ctx.client.request({ method: "evm_revert", params: [snap] } as never);
    w.restoreState(saved);
    // history B: different transactions (the PRNG moved on) over the same block numbers, and more
    await w.run(30);
    await index();
    expect(await mirrorDiffs(db.prisma, ctx)).toEqual([]);
    const statusB = await getIndexerStatus(db.prisma, ctx.chainId);
    expect(statusB.reorgs).toBe(statusA.reorgs + 1);
    expect(statusB.eventsIndexed).toBe(await db.prisma.chainEvent.count());
    // the mirror equals a fresh index of the new chain (invariant 4)
    const fresh = await createTestDatabase();
    try {
      await index({}, fresh);
      expect(await snapshotMirror(db.prisma, ctx.chainId)).toEqual(await snapshotMirror(fresh.prisma, ctx.chainId));
    } finally {
      await fresh.drop();
    }
  });

  it("handles anvil_reorg (same height, replaced blocks) and a reorg to a shorter chain", async () => {
    await w.run(10);
    for (let i = 0; i < 3; i++) await w.transfer(); // the blocks anvil_reorg replaces hold only transfers
    await index();
    const before = await getIndexerStatus(db.prisma, ctx.chainId);
    await ctx.client.request({ method: "anvil_reorg", params: [3, []] } as never);
    await index();
    expect(await mirrorDiffs(db.prisma, ctx)).toEqual([]);
    expect((await getIndexerStatus(db.prisma, ctx.chainId)).reorgs).toBe(before.reorgs + 1);

    const snap = (await ctx.client.request({ method: "evm_snapshot", params: [] } as never)) as string;
    const saved = w.saveState();
    await w.run(8);
    await index();
    await ctx.client.request({ method: "evm_revert", params: [snap] } as never); // chain is now shorter than the checkpoint
    w.restoreState(saved);
    await index();
    expect((await getIndexerStatus(db.prisma, ctx.chainId)).checkpoint).toBe(Number(await ctx.client.getBlockNumber()));
    expect(await mirrorDiffs(db.prisma, ctx)).toEqual([]);
  });

  it("stops with a clear fatal error on a reorg deeper than the finality depth, leaving the mirror untouched", async () => {
    const snap = (await ctx.client.request({ method: "evm_snapshot", params: [] } as never)) as string;
    const saved = w.saveState();
    await w.run(15);
    await ctx.client.mine({ blocks: 10 });
    await index({ finalityDepth: 4 });
    const before = await snapshotMirror(db.prisma, ctx.chainId);
    await ctx.client.request({ method: "evm_revert", params: [snap] } as never);
    w.restoreState(saved);
    await ctx.client.mine({ blocks: 40 });
    await expect(index({ finalityDepth: 4 })).rejects.toThrow(DeepReorgError);
    await expect(index({ finalityDepth: 4 })).rejects.toThrow(/reorg deeper than the finality depth \(4 blocks\)/);
    expect(await snapshotMirror(db.prisma, ctx.chainId)).toEqual(before);
    // --rebuild recovers
    await index({ rebuild: true });
    expect(await mirrorDiffs(db.prisma, ctx)).toEqual([]);
  });

  it("rebuild gives identical tables", async () => {
    await w.run(10);
    await index();
    const before = await snapshotMirror(db.prisma, ctx.chainId);
    await index({ rebuild: true, maxBlockRange: 1000 });
    expect(await snapshotMirror(db.prisma, ctx.chainId)).toEqual(before);
  });

  it("kill -9 during the backfill, then restart: same tables as an uninterrupted run, no duplicated event", async () => {
    const reference = await createTestDatabase();
    const crashed = await createTestDatabase();
    try {
      await index({}, reference);
      const head = Number(await ctx.client.getBlockNumber());
      const env = {
        ...process.env,
        DATABASE_URL: crashed.url,
        RPC_URL: anvil.rpcUrl,
        CHAIN_ID: String(ctx.chainId),
        INDEXER_CONTRACTS: JSON.stringify(ctx.contracts),
        INDEXER_MAX_BLOCK_RANGE: "1",
        INDEXER_CONCURRENCY: "1",
        INDEXER_FINALITY_DEPTH: "256",
      };
      // Real progress before every kill: the first above the deploy block, each above the previous one.
      // Without this lower bound an indexer that crashed at start-up would be "killed" at block 0
      // three times and the test would compare two clean runs.
      const deployBlock = Math.min(...ctx.contracts.map((c) => c.startBlock));
      const kills: number[] = [];
      let output = "";
      for (let round = 0; round < 3; round++) {
        // node itself (not the tsx wrapper, which would leave its node child running after SIGKILL)
        const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/indexer.ts", "--once"], { env, stdio: ["ignore", "pipe", "pipe"] });
        child.stdout!.on("data", (d) => (output += d));
        child.stderr!.on("data", (d) => (output += d));
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        const floor = kills.at(-1) ?? deployBlock;
        // kill at a random moment once it has made progress past the previous kill
        const target = floor + 20 + Math.floor(Math.random() * 30);
        let cp = floor;
        for (let i = 0; i < 3_000 && cp < target && child.exitCode === null; i++) {
          cp = (await getIndexerStatus(crashed.prisma, ctx.chainId)).checkpoint ?? 0;
          if (cp < target) await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
        }
        const exitedEarly = child.exitCode !== null;
        child.kill("SIGKILL");
        await exited;
        cp = (await getIndexerStatus(crashed.prisma, ctx.chainId)).checkpoint ?? 0;
        expect(exitedEarly, `the indexer exited by itself before kill ${round + 1}:\n${output}`).toBe(false);
        expect(cp, `no progress past block ${floor} before kill ${round + 1}:\n${output}`).toBeGreaterThan(floor);
        kills.push(cp);
      }
      expect(kills.at(-1)).toBeLessThan(head); // really killed mid-backfill
      await index({}, crashed);
      expect(await snapshotMirror(crashed.prisma, ctx.chainId)).toEqual(await snapshotMirror(reference.prisma, ctx.chainId));
      const dupes = await crashed.prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM (SELECT tx_hash, log_index FROM chain_events GROUP BY 1, 2 HAVING count(*) > 1) d`,
      );
      expect(dupes[0].n).toBe(0);
    } finally {
      await reference.drop();
      await crashed.drop();
    }
  });
});
