// GET /api/admin/metrics through its route handler on real Postgres: 401 without a session, 403 for a
// signed-in wallet not on ADMIN_ADDRESSES, 200 with the figures and the series built from recorded
// samples for an admin; and the sampler's rates between consecutive samples.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";

const admin = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const other = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
let db: TestDatabase;
let GET: (request: Request) => Promise<Response>;
let lib: typeof import("./index");

const request = (token?: string) => new Request("http://localhost/api/admin/metrics", { headers: token ? { cookie: `corex_session=${token}` } : {} });

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: db.url, RPC_URL: "http://127.0.0.1:1", CHAIN_ID: "31337", ADMIN_ADDRESSES: admin, ADMIN_SAMPLE_SECONDS: "0" });
  delete (globalThis as { __corexPrisma?: unknown }).__corexPrisma;
  ({ GET } = (await import("@/app/api/admin/metrics/route")) as unknown as { GET: typeof GET });
  lib = await import("./index");
  const { hashToken } = await import("@/lib/auth");
  const expiresAt = new Date(Date.now() + 3_600_000);
  await db.prisma.session.createMany({
    data: [
      { tokenHash: hashToken("admin-token"), address: admin, chainId: 31337, expiresAt },
      { tokenHash: hashToken("other-token"), address: other, chainId: 31337, expiresAt },
    ],
  });
  await db.prisma.epoch.create({
    data: {
      chainId: 31337, epoch: 1n, credentialsRoot: "0x1", rewardsRoot: "0x2", total: (182_500n * 10n ** 18n).toString(), allowanceThrough: "0", workUnits: "100",
      credentialCount: 3, postedAt: new Date(), disputeDeadline: new Date(), status: "posted", claimedAmount: "0", claimCount: 0, postedBlock: 1n, postedTx: "0x3", updatedBlock: 1n,
    },
  });
});

afterAll(async () => {
  await (globalThis as { __corexPrisma?: { $disconnect(): Promise<void> } }).__corexPrisma?.$disconnect();
  await db?.drop();
});

describe("GET /api/admin/metrics", () => {
  it("answers 401 without a session and 403 to a wallet that is not an admin", async () => {
    const anon = await GET(request());
    expect(anon.status).toBe(401);
    const res = await GET(request("other-token"));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  });

  it("gives an admin the figures, the sampled series and the emission per epoch", async () => {
    await lib.recordAdminSample(db.prisma, 31337);
    await db.prisma.adminSample.updateMany({ data: { at: new Date(Date.now() - 60_000) } });
    await db.prisma.indexerCheckpoint.create({ data: { chainId: 31337, blockNumber: 10n, blockHash: "0xa", headNumber: 13n, eventsIndexed: 120n, reorgs: 2 } });
    await lib.recordAdminSample(db.prisma, 31337);
    const res = await GET(request("admin-token"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { figures: Record<string, unknown>; series: { points: { lag: number | null; reorgs: number; eventsPerMinute: number }[]; emission: { epoch: string; cxt: number }[] } };
    expect(body.figures).toMatchObject({ indexerLag: 3, reorgs: 2, epochs: 1 });
    expect(body.series.emission).toEqual([{ epoch: "1", cxt: 182_500, workUnits: 100 }]);
    expect(body.series.points).toHaveLength(2);
    expect(body.series.points[1]).toMatchObject({ lag: 3, reorgs: 2 });
    // 120 events in about a minute between the two samples.
    expect(body.series.points[1]!.eventsPerMinute).toBeGreaterThan(100);
    expect(body.series.points[1]!.eventsPerMinute).toBeLessThan(125);
  });
});
