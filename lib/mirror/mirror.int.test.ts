// The dapp read models against real Postgres: leaderboard sorting (weight is computed in SQL) and
// paging, and tranches replayed from the mirrored Staking events of one node only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";

const ether = 10n ** 18n;
let db: TestDatabase;
let mirror: typeof import("./index");

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  delete (globalThis as { __corexPrisma?: unknown }).__corexPrisma;
  mirror = await import("./index");
  const node = (nodeId: number, tier: number, stake: bigint, work: bigint, active = true) => ({
    chainId: 1, nodeId: BigInt(nodeId), owner: `0x${String(nodeId).padStart(40, "0")}`, kind: "gpu", active, tier, metadataUri: "",
    registeredAt: new Date(0), stake: stake.toString(), unbonding: "0", slashCount: 0, workUnits: work.toString(), registeredBlock: 1n, updatedBlock: 1n,
  });
  await db.prisma.node.createMany({
    data: [
      node(1, 0, 5_000n * ether, 0n), // weight 5,000
      node(2, 1, 3_000n * ether, 10n ** 12n), // weight 3,750
      node(3, 2, 20_000n * ether, 10n ** 13n, false), // inactive: weight 0
      node(4, 1, 4_500n * ether, 10n ** 11n), // weight 5,625
    ],
  });
  const ev = (i: number, nodeId: number, eventName: string, args: Record<string, unknown>, ts: number) => ({
    chainId: 1, blockNumber: BigInt(i), blockHash: `0x${i}`, txHash: `0x${i}`, logIndex: 0, address: "0xs", contract: "Staking", eventName, args: { nodeId: String(nodeId), ...args }, timestamp: new Date(ts * 1000),
  });
  await db.prisma.chainEvent.createMany({
    data: [
      ev(1, 2, "UnstakeRequested", { amount: "100", releaseAt: "400" }, 100),
      ev(2, 4, "UnstakeRequested", { amount: "7", releaseAt: "450" }, 150),
      ev(3, 2, "UnstakeRequested", { amount: "50", releaseAt: "500" }, 200),
      ev(4, 2, "Withdrawn", { amount: "100", newUnbonding: "50" }, 420),
    ],
  });
});

afterAll(async () => {
  await (globalThis as { __corexPrisma?: { $disconnect(): Promise<void> } }).__corexPrisma?.$disconnect();
  await db?.drop();
});

describe("rankingPage", () => {
  it("sorts by weight (stake × tier multiplier, 0 when inactive) in either direction", async () => {
    const desc = await mirror.rankingPage(1, { sort: "weight", dir: "desc", page: 1, pageSize: 10 });
    expect(desc.nodes.map((n) => Number(n.nodeId))).toEqual([4, 1, 2, 3]);
    const asc = await mirror.rankingPage(1, { sort: "weight", dir: "asc", page: 1, pageSize: 10 });
    expect(asc.nodes.map((n) => Number(n.nodeId))).toEqual([3, 2, 1, 4]);
  });

  it("pages with the total, and sorts by work or stake", async () => {
    const p2 = await mirror.rankingPage(1, { sort: "stake", dir: "desc", page: 2, pageSize: 3 });
    expect(p2).toMatchObject({ total: 4, page: 2 });
    expect(p2.nodes.map((n) => Number(n.nodeId))).toEqual([2]);
    const rank = await mirror.rankingPage(1, { sort: "rank", dir: "desc", page: 1, pageSize: 10 });
    expect(rank.nodes.map((n) => Number(n.nodeId))).toEqual([2, 4, 1, 3]);
  });
});

describe("nodeTranches", () => {
  it("replays only that node's events: withdrawn tranches gone, later ones kept", async () => {
    expect(await mirror.nodeTranches(1, 2n)).toEqual([{ amount: 50n, releaseAt: new Date(500_000) }]);
    expect(await mirror.nodeTranches(1, 4n)).toEqual([{ amount: 7n, releaseAt: new Date(450_000) }]);
    expect(await mirror.nodeTranches(1, 1n)).toEqual([]);
  });
});
