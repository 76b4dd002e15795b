// GET /api/faults against Postgres: filters by node and job, newest first, cursor paging that neither skips
// nor repeats a fault (also among faults created in the same millisecond), the slash joined in, stable
// error codes for bad queries, 405 for other methods.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noCtx, req, useAppEnv } from "@/test/support/app-env";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";

type Page = { faults: { id: string; nodeId: string; jobId: string; createdAt: string; relativeL2ToReference: number | null; slash: { status: string; bps: number; txHash: string | null } | null }[]; nextCursor: string | null };

describe("GET /api/faults", () => {
  let db: TestDatabase;
  let route: typeof import("@/app/api/faults/route");
  const jobA = randomUUID();
  const jobB = randomUUID();
  const ids: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "corex-faults-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: "http://127.0.0.1:9", CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: dir, DEPLOYMENTS_DIR: dir });
    route = await import("@/app/api/faults/route");
    const base = Date.parse("2026-12-01T00:00:00.000Z");
    // node 7: five faults on job A (two in the same millisecond), one on job B; node 8: one on job A; another chain: one.
    const rows = [
      { nodeId: 7n, jobId: jobA, at: 0 }, { nodeId: 7n, jobId: jobA, at: 1000 }, { nodeId: 7n, jobId: jobA, at: 2000 },
      { nodeId: 7n, jobId: jobA, at: 2000 }, { nodeId: 7n, jobId: jobA, at: 3000 }, { nodeId: 7n, jobId: jobB, at: 4000 },
      { nodeId: 8n, jobId: jobA, at: 5000 },
    ];
    for (const [i, r] of rows.entries()) {
      const id = randomUUID();
      ids.push(id);
      await db.prisma.fault.create({
        data: {
          id, chainId: 31337, nodeId: r.nodeId, owner: "0x00000000000000000000000000000000000000aa", jobId: r.jobId, fragmentId: randomUUID(), resultId: randomUUID(),
          reason: "disagrees_with_reference", evidence: { relativeL2ToReference: 0.01 * (i + 1) }, createdAt: new Date(base + r.at),
        },
      });
    }
    await db.prisma.fault.create({
      data: { chainId: 1, nodeId: 7n, owner: "0xbb", jobId: jobA, fragmentId: randomUUID(), resultId: randomUUID(), reason: "disagrees_with_reference", evidence: {} },
    });
    await db.prisma.faultSlash.create({ data: { faultId: ids[4]!, chainId: 31337, nodeId: 7n, evidence: {}, evidenceHash: `0x${"ee".repeat(32)}`, bps: 1000, status: "sent", txHash: `0x${"11".repeat(32)}` } });
  });
  afterAll(async () => {
    await db?.drop();
  });

  const get = async (query: string) => {
    const res = await route.GET(req(`/api/faults${query}`), noCtx);
    return { status: res.status, body: (await res.json()) as Page & { error?: { code: string; message: string } } };
  };

  it("lists a node's faults newest first, with the slash and the evidence's relative L2", async () => {
    const { status, body } = await get("?node=7");
    expect(status).toBe(200);
    expect(body.faults.map((f) => f.nodeId)).toEqual(["7", "7", "7", "7", "7", "7"]);
    expect(body.faults[0]!.jobId).toBe(jobB);
    const times = body.faults.map((f) => f.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(body.faults.find((f) => f.id === ids[4])!.slash).toEqual({ status: "sent", bps: 1000, evidenceHash: `0x${"ee".repeat(32)}`, txHash: `0x${"11".repeat(32)}` });
    expect(body.faults.find((f) => f.id === ids[0])).toMatchObject({ slash: null, relativeL2ToReference: 0.01 });
    expect(body.nextCursor).toBeNull();
  });

  it("filters by job, and by node and job together; other chains are not listed", async () => {
    expect((await get(`?job=${jobA}`)).body.faults).toHaveLength(6);
    expect((await get(`?node=7&job=${jobA}`)).body.faults).toHaveLength(5);
    expect((await get(`?node=8&job=${jobB}`)).body.faults).toEqual([]);
    expect((await get("")).body.faults).toHaveLength(7);
  });

  it("pages with nextCursor without skipping or repeating (two faults in one millisecond)", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 10; n++) {
      const { status, body }: { status: number; body: Page } = await get(`?node=7&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      expect(body.faults.length).toBeLessThanOrEqual(2);
      seen.push(...body.faults.map((f) => f.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual((await get("?node=7")).body.faults.map((f) => f.id));
    expect(new Set(seen).size).toBe(6);
  });

  it("refuses bad queries with validation_failed, other methods with 405", async () => {
    for (const q of ["?node=abc", "?node=0", "?job=not-a-uuid", "?limit=0", "?limit=201", "?cursor=!!", `?cursor=${Buffer.from("x|y").toString("base64url")}`, "?other=1"]) {
      const { status, body } = await get(q);
      expect([q, status, body.error?.code]).toEqual([q, 400, "validation_failed"]);
    }
    const res = await route.POST(req("/api/faults", { method: "POST", json: {} }));
    expect(res.status).toBe(405);
  });
});
