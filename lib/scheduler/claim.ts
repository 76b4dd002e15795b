import "server-only";
import { ApiError } from "@/lib/api";
import { Prisma, type PrismaClient } from "@/lib/db";
import type { SchedulerCtx } from "./context";
import { rawRows } from "./sql";
import { authorizedHeartbeat, authorizeWorker, notEligible, type NodeAuthority } from "@/lib/auth";
import { isInferenceSpec, specOf, type ClaimedSlot, type TrainingSpec } from "@/lib/protocol";

/** 403 with the reason a node may not work (read with the caller's authority, lib/auth/worker-auth). */
function checkEligible(node: NodeAuthority, nodeId: bigint) {
  if (!node.active) throw notEligible(`node ${nodeId} is not active`);
  if (node.faults > 0) throw notEligible(`node ${nodeId} is barred: ${node.faults} fault(s) on record`);
}

type Claimed = { id: string; fragment_id: string; replica: number; kind: "compute" | "verify"; job_id: string; lease_deadline: Date; lease_ms: number };

/**
 * Leases up to `max` replica slots to `nodeId` in ONE statement: open slots (partial index
 * `replica_slots_open_idx`, in claim order) and slots whose lease has expired (reclaimed here, no timer
 * anywhere; partial index `replica_slots_lease_idx`, oldest deadline first), `FOR UPDATE SKIP LOCKED`
 * so concurrent claimers never wait on or share a slot. Live leases are in neither index, so a claim
 * never walks past the work in flight. Eligibility is re-checked inside the statement (active, not
 * barred, tier ≥ the slot's min tier), and no owner gets two replicas of one fragment (NOT EXISTS here,
 * DISTINCT ON within one claim, and the partial unique index `replica_slots_owner_live_key` against
 * concurrent claims by two nodes of one owner). Order: fee per work unit, then age, then replica number
 * (so a round's first replicas go out before its second ones, and one batch of candidates holds
 * distinct fragments). Each branch locks at most `max` rows; when two candidates are still replicas of
 * one fragment only one is leased, so a claim may return fewer than `max` ("up to max").
 * Plan shape: `OFFSET 0` keeps each NOT EXISTS a per-candidate probe by fragment (as a join the planner
 * would read every live slot of the owner), and the final UPDATE finds its rows by their physical
 * address (`ctid = ANY(ARRAY(...))`, a TID scan) instead of hashing the whole table or probing the
 * primary key again: this statement holds the row locks it took in the candidates' scan, so no one
 * can move those rows in between (a row a concurrent claim moved is not locked, hence not picked; at
 * worst a re-checked row is left out and the claim returns fewer than `max`, never a wrong row).
 * It runs as a named prepared statement (rawRows): its generic plan has this same shape (checked
 * with EXPLAIN EXECUTE under plan_cache_mode = force_generic_plan), and it saves the 0.6–0.9 ms of
 * planning each call cost.
 */
export async function claimSlots(db: PrismaClient, chainId: number, nodeId: bigint, max: number): Promise<Claimed[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rawRows<Claimed>(db, Prisma.sql`
        WITH me AS (
          SELECT n.node_id, n.owner, n.tier FROM nodes n
          WHERE n.chain_id = ${chainId} AND n.node_id = ${nodeId} AND n.active
            AND NOT EXISTS (SELECT 1 FROM faults f WHERE f.chain_id = n.chain_id AND f.node_id = n.node_id)
        ), open_cand AS (
          -- Lock first, then check the owner rule: under SKIP LOCKED most rows a busy claim meets are
          -- held by concurrent claims, and each should cost a lock attempt, not also a probe. A row
          -- locked here but refused by NOT EXISTS stays untouched (released at commit).
          SELECT c.* FROM (
            SELECT s.ctid, s.id, s.fragment_id, s.priority, s.created_at, s.replica FROM replica_slots s
            WHERE s.state = 'open' AND s.min_tier <= (SELECT tier FROM me)
            ORDER BY s.priority DESC, s.created_at, s.replica
            FOR UPDATE OF s SKIP LOCKED
          ) c
          WHERE NOT EXISTS (SELECT 1 FROM replica_slots o WHERE o.fragment_id = c.fragment_id AND o.id <> c.id
                            AND o.state IN ('leased', 'submitted') AND o.owner = (SELECT owner FROM me) OFFSET 0)
          LIMIT ${max}
        ), expired_cand AS (
          SELECT c.* FROM (
            SELECT s.ctid, s.id, s.fragment_id, s.priority, s.created_at, s.replica FROM replica_slots s
            WHERE s.state = 'leased' AND s.lease_deadline < now() AND s.min_tier <= (SELECT tier FROM me)
            ORDER BY s.lease_deadline
            FOR UPDATE OF s SKIP LOCKED
          ) c
          WHERE NOT EXISTS (SELECT 1 FROM replica_slots o WHERE o.fragment_id = c.fragment_id AND o.id <> c.id
                            AND o.state IN ('leased', 'submitted') AND o.owner = (SELECT owner FROM me) OFFSET 0)
          LIMIT ${max}
        ), picked AS (
          SELECT ctid FROM (
            SELECT DISTINCT ON (fragment_id) ctid, priority, created_at, replica
            FROM (SELECT * FROM open_cand UNION ALL SELECT * FROM expired_cand) c
            ORDER BY fragment_id, priority DESC, created_at, replica
          ) d
          ORDER BY priority DESC, created_at, replica LIMIT ${max}
        )
        UPDATE replica_slots s SET state = 'leased', node_id = me.node_id, owner = me.owner, claimed_at = now(),
          lease_deadline = now() + make_interval(secs => s.lease_ms / 1000.0), leases = s.leases + 1
        FROM me WHERE s.ctid = ANY (ARRAY(SELECT ctid FROM picked))
        RETURNING s.id, s.fragment_id, s.replica, s.kind, s.job_id, s.lease_deadline, s.lease_ms`, "corex_claim_slots");
    } catch (e) {
      // Two nodes of one owner raced for replicas of one fragment: the unique index refused the second.
      if (attempt < 3 && /replica_slots_owner_live_key|23505/.test(String((e as Error).message) + String((e as { code?: string }).code))) continue;
      throw e;
    }
  }
}

type JobInfo = { specHash: string; spec: TrainingSpec };
/** Specs of the jobs being claimed, newest use last; bounded, since a long-lived server sees every job. */
const jobCache = new Map<string, JobInfo>();
const JOB_CACHE_MAX = 256;

/** Everything a worker needs for its slots (specs are immutable, so they are cached per process). */
export async function describeSlots(ctx: SchedulerCtx, claimed: Claimed[]): Promise<ClaimedSlot[]> {
  if (claimed.length === 0) return [];
  const fragments = new Map((await ctx.db.fragment.findMany({ where: { id: { in: claimed.map((c) => c.fragment_id) } } })).map((f) => [f.id, f]));
  const out: ClaimedSlot[] = [];
  for (const c of claimed) {
    let job = jobCache.get(c.job_id);
    if (job) jobCache.delete(c.job_id); // re-inserted below: Map order is recency
    else {
      const row = await ctx.db.job.findUniqueOrThrow({ where: { id: c.job_id }, select: { specHash: true, spec: true } });
      job = { specHash: row.specHash, spec: specOf({ id: c.job_id, spec: row.spec }) };
      if (jobCache.size >= JOB_CACHE_MAX) jobCache.delete(jobCache.keys().next().value!);
    }
    jobCache.set(c.job_id, job);
    const f = fragments.get(c.fragment_id)!;
    const h = job.spec.hyper;
    out.push({
      slotId: c.id, fragmentId: f.id, replica: c.replica, kind: c.kind, jobId: c.job_id, specHash: job.specHash, round: f.round, shard: f.shard,
      leaseDeadline: c.lease_deadline.toISOString(), leaseSeconds: c.lease_ms / 1000, workUnits: f.workUnits.toFixed(),
      inputs: {
        model: job.spec.model, weightsSha256: f.weightsSha256, shardSha256: f.shardSha256,
        normalisation: { mean: job.spec.dataset.mean, std: job.spec.dataset.std },
        steps: h.localSteps, batch: h.batch, lr: h.learningRate, seed: Number(f.seed),
        ...(isInferenceSpec(job.spec)
          ? { inference: { output: job.spec.inference.output, rows: job.spec.shards[f.shard]!.rows, ...(job.spec.inference.maxTokens ? { maxTokens: job.spec.inference.maxTokens } : {}) } }
          : {}),
      },
      sign: { chainId: ctx.chainId, primaryType: "FragmentResult" },
    });
  }
  return out;
}

/** POST /api/fragments/claim. */
export async function claim(ctx: SchedulerCtx, request: Request, body: { nodeId: string; max: number }): Promise<ClaimedSlot[]> {
  const nodeId = BigInt(body.nodeId);
  const { node } = await authorizeWorker(ctx.db, ctx.chainId, request, nodeId);
  checkEligible(node, nodeId);
  return describeSlots(ctx, await claimSlots(ctx.db, ctx.chainId, nodeId, body.max));
}

/** POST /api/fragments/{slotId}/heartbeat: extends a live lease by its length. */
export async function heartbeat(ctx: SchedulerCtx, request: Request, slotId: string, body: { nodeId: string }): Promise<{ slotId: string; leaseDeadline: string }> {
  const nodeId = BigInt(body.nodeId);
  const deadline = await authorizedHeartbeat(ctx.db, ctx.chainId, request, slotId, nodeId);
  if (deadline) return { slotId, leaseDeadline: deadline.toISOString() };
  throw await leaseError(ctx.db, slotId, nodeId);
}

/** Why a slot is not (any more) this node's live lease. */
export async function leaseError(db: PrismaClient, slotId: string, nodeId: bigint): Promise<ApiError> {
  const s = await db.replicaSlot.findUnique({ where: { id: slotId } });
  if (!s) return new ApiError(404, "not_found", `no replica slot ${slotId}`);
  if (s.nodeId !== nodeId) return new ApiError(403, "not_lease_holder", `slot ${slotId} is not leased to node ${nodeId}`);
  if (s.state !== "leased") return new ApiError(409, "slot_closed", `slot ${slotId} is ${s.state}`);
  return new ApiError(409, "lease_expired", `the lease on slot ${slotId} expired at ${s.leaseDeadline?.toISOString()}; claim again`);
}
