// The scheduler's hot path on real Postgres, without a chain: claimSlots and recordResults against rows
// seeded as the mirror and createRound would leave them. Each case names the invariant it guards.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { claimSlots } from "./claim";
import { recordResults, type ResultRecord } from "./result";

const CHAIN = 31337;
const owner = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;

describe("scheduler hot path: batched claims and results (Postgres)", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    // nodes 1..6: owners 1, 2, 3, 4, 5, and node 6 is a second node of owner 1
    await db.prisma.$executeRawUnsafe(`INSERT INTO nodes (chain_id, node_id, owner, kind, active, tier, metadata_uri, registered_at, stake, unbonding, slash_count, work_units, registered_block, updated_block)
      SELECT ${CHAIN}, g, '0x' || lpad(to_hex(CASE WHEN g = 6 THEN 1 ELSE g END), 40, '0'), 'cpu', true, 0, '', now(), 0, 0, 0, 0, 1, 1 FROM generate_series(1, 6) g`);
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** A job's fragments as createRound leaves them: k compute slots each, one age for the round. */
  async function job(opts: { fragments: number; k: number; spotCheck?: boolean | null; priority?: number }) {
    const jobId = randomUUID();
    const spot = opts.spotCheck === undefined ? "false" : opts.spotCheck === null ? "NULL" : String(opts.spotCheck);
    await db.prisma.$executeRawUnsafe(`INSERT INTO fragments (id, job_id, round, shard, seed, weights_sha256, shard_sha256, work_units, quorum, status, spot_check)
      SELECT gen_random_uuid(), '${jobId}'::uuid, 0, g, g, 'w', 's', 1000, ${opts.k}, 'open', ${spot} FROM generate_series(0, ${opts.fragments - 1}) g`);
    await db.prisma.$executeRawUnsafe(`INSERT INTO replica_slots (id, fragment_id, job_id, replica, kind, state, priority, min_tier, lease_ms, created_at)
      SELECT gen_random_uuid(), f.id, f.job_id, r, 'compute', 'open', ${opts.priority ?? 1000 + Math.floor(Math.random() * 1e6)}, 0, 60000, now()
      FROM fragments f, generate_series(0, ${opts.k - 1}) r WHERE f.job_id = '${jobId}'::uuid`);
    return jobId;
  }
  const rec = (slotId: string, sha: string, loss = 0.5, node = 1): ResultRecord => ({ slotId, signer: owner(node), signature: `0x${"ab".repeat(65)}`, deltaSha256: sha, loss });
  const fragment = (id: string) => db.prisma.fragment.findUniqueOrThrow({ where: { id } });
  const results = (fragmentId: string) => db.prisma.fragmentResult.findMany({ where: { fragmentId }, orderBy: { replica: "asc" } });

  it("a claim of max takes distinct fragments (first replicas first) and never two replicas of one fragment to one owner, even from two of its nodes at once", async () => {
    const jobId = await job({ fragments: 4, k: 2, priority: 10_000_000 });
    const first = await claimSlots(db.prisma, CHAIN, 1n, 4);
    expect(first.filter((s) => s.job_id === jobId).map((s) => s.replica)).toEqual([0, 0, 0, 0]);
    // owner 1's second node: every remaining slot of this job is a replica of a fragment owner 1 holds
    const other = await claimSlots(db.prisma, CHAIN, 6n, 4);
    expect(other.filter((s) => s.job_id === jobId)).toEqual([]);
    // owner 2 gets the second replicas
    const second = await claimSlots(db.prisma, CHAIN, 2n, 4);
    expect(second.filter((s) => s.job_id === jobId).map((s) => s.replica)).toEqual([1, 1, 1, 1]);

    // concurrent claims by both nodes of owner 3 and owner 1's nodes on a fresh job: per fragment,
    // the live replicas belong to distinct owners
    const j2 = await job({ fragments: 6, k: 2, priority: 20_000_000 });
    await Promise.all([claimSlots(db.prisma, CHAIN, 1n, 6), claimSlots(db.prisma, CHAIN, 6n, 6), claimSlots(db.prisma, CHAIN, 3n, 6)]);
    const live = await db.prisma.replicaSlot.findMany({ where: { jobId: j2, state: "leased" } });
    const pairs = live.map((s) => `${s.fragmentId}/${s.owner}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(live.length).toBeGreaterThanOrEqual(6);
  });

  it("an expired lease is reclaimed by the same claim statement; a result for it from the old holder is refused", async () => {
    const jobId = await job({ fragments: 1, k: 1, priority: 30_000_000 });
    const [slot] = await claimSlots(db.prisma, CHAIN, 4n, 1);
    expect(slot?.job_id).toBe(jobId);
    await db.prisma.$executeRaw`UPDATE replica_slots SET lease_deadline = now() - interval '1 second' WHERE id = ${slot!.id}::uuid`;
    expect(await recordResults(db.prisma, 4n, [rec(slot!.id, "aa")])).toEqual([]);
    const [again] = await claimSlots(db.prisma, CHAIN, 5n, 1);
    expect(again?.id).toBe(slot!.id);
    const row = await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: slot!.id } });
    expect([row.state, row.nodeId, row.leases]).toEqual(["leased", 5n, 2]);
  });

  it("k = 2: the second identical result accepts the fragment and both results in the same statement; differing results stay pending for the verifier", async () => {
    const jobId = await job({ fragments: 2, k: 2, priority: 40_000_000 });
    const a = (await claimSlots(db.prisma, CHAIN, 1n, 2)).filter((s) => s.job_id === jobId);
    const b = (await claimSlots(db.prisma, CHAIN, 2n, 2)).filter((s) => s.job_id === jobId);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    const byFragment = (xs: typeof a, f: string) => xs.find((s) => s.fragment_id === f)!.id;
    const [f1, f2] = [a[0]!.fragment_id, a[1]!.fragment_id];

    const first = await recordResults(db.prisma, 1n, [rec(byFragment(a, f1), "same", 0.25), rec(byFragment(a, f2), "one")]);
    expect(first.map((r) => r.status)).toEqual(["pending", "pending"]);
    const second = await recordResults(db.prisma, 2n, [rec(byFragment(b, f1), "same", 0.75, 2), rec(byFragment(b, f2), "other", 0.5, 2)]);
    expect(Object.fromEntries(second.map((r) => [r.slotId, r.status]))).toEqual({ [byFragment(b, f1)]: "accepted", [byFragment(b, f2)]: "pending" });

    const ok = await fragment(f1);
    expect([ok.status, ok.acceptedSha256, ok.acceptedLoss]).toEqual(["accepted", "same", 0.25]);
    expect((await results(f1)).map((r) => [r.status, r.verifiedAt !== null])).toEqual([["accepted", true], ["accepted", true]]);
    expect((await fragment(f2)).status).toBe("open");
    expect((await results(f2)).map((r) => r.status)).toEqual(["pending", "pending"]);
    const slots = await db.prisma.replicaSlot.findMany({ where: { jobId }, orderBy: [{ fragmentId: "asc" }, { replica: "asc" }] });
    expect(slots.every((s) => s.state === "submitted")).toBe(true);
  });

  it("k = 1: accepted at once, with the spot-check verify slot when the fragment's draw says so; a fragment without a recorded draw is left to the verifier", async () => {
    const spot = await job({ fragments: 1, k: 1, spotCheck: true, priority: 50_000_000 });
    const [s] = await claimSlots(db.prisma, CHAIN, 3n, 1);
    expect(s?.job_id).toBe(spot);
    expect(await recordResults(db.prisma, 3n, [rec(s!.id, "x", 0.5, 3)])).toMatchObject([{ slotId: s!.id, status: "accepted" }]);
    const verify = await db.prisma.replicaSlot.findMany({ where: { fragmentId: s!.fragment_id, kind: "verify" } });
    expect(verify.map((v) => [v.replica, v.state])).toEqual([[1, "open"]]);
    // the verify slot goes to another owner, never to the one that computed it
    expect((await claimSlots(db.prisma, CHAIN, 3n, 10)).some((c) => c.fragment_id === s!.fragment_id)).toBe(false);

    const legacy = await job({ fragments: 1, k: 1, spotCheck: null, priority: 60_000_000 });
    const [l] = await claimSlots(db.prisma, CHAIN, 3n, 1);
    expect(l?.job_id).toBe(legacy);
    expect(await recordResults(db.prisma, 3n, [rec(l!.id, "y", 0.5, 3)])).toMatchObject([{ status: "pending" }]);
    expect((await fragment(l!.fragment_id)).status).toBe("open");
  });

  it("a batch records only the caller's live leases, each slot at most once (idempotent per replica slot)", async () => {
    const jobId = await job({ fragments: 3, k: 1, priority: 70_000_000 });
    const mine = (await claimSlots(db.prisma, CHAIN, 4n, 2)).filter((s) => s.job_id === jobId);
    const theirs = (await claimSlots(db.prisma, CHAIN, 5n, 1)).filter((s) => s.job_id === jobId);
    expect([mine.length, theirs.length]).toEqual([2, 1]);
    const batch = [rec(mine[0]!.id, "m0", 0.5, 4), rec(theirs[0]!.id, "t0", 0.5, 4), rec(mine[1]!.id, "m1", 0.5, 4)];
    const got = await recordResults(db.prisma, 4n, batch);
    expect(got.map((r) => r.slotId).sort()).toEqual([mine[0]!.id, mine[1]!.id].sort());
    expect(await db.prisma.fragmentResult.count({ where: { slotId: theirs[0]!.id } })).toBe(0);
    expect((await db.prisma.replicaSlot.findUniqueOrThrow({ where: { id: theirs[0]!.id } })).state).toBe("leased");
    // again: nothing more is recorded, the first results stand
    expect(await recordResults(db.prisma, 4n, [rec(mine[0]!.id, "changed", 0.5, 4)])).toEqual([]);
    expect((await db.prisma.fragmentResult.findUniqueOrThrow({ where: { slotId: mine[0]!.id } })).deltaSha256).toBe("m0");
  });
});
