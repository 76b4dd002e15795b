import "server-only";
import { recoverTypedDataAddress } from "viem";
import { ApiError, readBodyLimited } from "@/lib/api";
import { sha256Hex } from "@/lib/blobs";
import { Prisma, type PrismaClient } from "@/lib/db";
import type { SchedulerCtx } from "./context";
import { rawRows } from "./sql";
import { leaseError } from "./claim";
import { nodeAuthority } from "@/lib/auth";
import { decodeFloat32, inferenceResultProblem, isInferenceSpec, lossBits, resultValueCount, RESULT_LOSS_HEADER, RESULT_SIGNATURE_HEADER, resultDomain, resultTypes, specOf } from "@/lib/protocol";

export type ResultReceipt = { resultId: string; slotId: string; deltaSha256: string; status: "pending" | "accepted" | "rejected"; duplicate: boolean };

type SlotRow = {
  state: string; node_id: bigint | string | null; replica: number; lease_deadline: Date | null;
  fragment_id: string; round: number; shard: number; work_units: string; spec_hash: string; spec: unknown;
};

const bad = (message: string) => new ApiError(400, "validation_failed", message);

/**
 * POST /api/fragments/{slotId}/result. Body: the delta (application/octet-stream, float32 LE,
 * docs/protocol/results.md); headers x-corex-loss (the mean loss) and x-corex-signature (EIP-712 FragmentResult by the
 * lease holder's owner or one of its session keys). Every check runs before anything is written; the
 * slot moves leased → submitted and the result row is inserted in one statement, so a second identical
 * submission answers the first receipt (idempotent) and a different one is a 409.
 */
export async function submitResult(ctx: SchedulerCtx, request: Request, slotId: string): Promise<ResultReceipt> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/octet-stream\b/i.test(type)) throw new ApiError(415, "unsupported_media_type", "send the delta as application/octet-stream (float32 little-endian)");
  const lossText = request.headers.get(RESULT_LOSS_HEADER);
  const signature = request.headers.get(RESULT_SIGNATURE_HEADER);
  if (!lossText || !/^-?[0-9.eE+-]{1,40}$/.test(lossText) || !Number.isFinite(Number(lossText))) throw bad(`${RESULT_LOSS_HEADER} must be a finite number`);
  if (!signature || !/^0x[0-9a-fA-F]{130}$/.test(signature)) throw bad(`${RESULT_SIGNATURE_HEADER} must be a 65-byte 0x signature`);
  const loss = Math.fround(Number(lossText));

  // The slot, its fragment and the job's spec in one round trip (this route runs once per fragment).
  const found = await ctx.db.$queryRaw<SlotRow[]>`
    SELECT s.state, s.node_id, s.replica, s.lease_deadline, f.id AS fragment_id, f.round, f.shard, f.work_units::text AS work_units, j.spec_hash, j.spec
    FROM replica_slots s JOIN fragments f ON f.id = s.fragment_id JOIN jobs j ON j.id = s.job_id
    WHERE s.id = ${slotId}::uuid`;
  const row = found[0];
  if (!row) throw new ApiError(404, "not_found", `no replica slot ${slotId}`);
  const slot = { state: row.state, nodeId: row.node_id === null ? null : BigInt(row.node_id), replica: row.replica, leaseDeadline: row.lease_deadline };
  const fragment = { id: row.fragment_id, round: row.round, workUnits: row.work_units };
  const job = { specHash: row.spec_hash, spec: row.spec };
  const spec = specOf(job);
  // A training delta has one value per parameter; an inference result one record per input row.
  const n = resultValueCount(spec, row.shard);
  const bytes = await readBodyLimited(request, n * 4);
  if (bytes.byteLength !== n * 4) throw new ApiError(422, "delta_length", `the ${isInferenceSpec(spec) ? "result" : "delta"} must be ${n} float32 values (${n * 4} bytes), got ${bytes.byteLength} bytes`);
  const delta = decodeFloat32(bytes);
  const bad_ = delta.findIndex((v) => !Number.isFinite(v));
  if (bad_ >= 0) throw new ApiError(422, "delta_not_finite", `delta value ${bad_} is ${delta[bad_]}`);
  const malformed = isInferenceSpec(spec) ? inferenceResultProblem(spec, delta) : null;
  if (malformed) throw new ApiError(422, "result_malformed", malformed);
  const deltaSha256 = sha256Hex(bytes);

  if ((slot.state !== "leased" && slot.state !== "submitted") || slot.nodeId === null) throw new ApiError(409, "slot_closed", `slot ${slotId} is ${slot.state}`);
  const nodeId = slot.nodeId;
  const message = {
    fragmentId: fragment.id, replica: slot.replica, nodeId, specHash: job.specHash as `0x${string}`, round: fragment.round,
    deltaSha256: `0x${deltaSha256}` as `0x${string}`, lossBits: lossBits(loss),
  };
  const signer = await recoverTypedDataAddress({ domain: resultDomain(ctx.chainId), types: resultTypes, primaryType: "FragmentResult", message, signature: signature as `0x${string}` }).catch(() => null);
  if (!signer) throw new ApiError(403, "bad_signature", "the signature does not recover to an address");
  const as = (await nodeAuthority(ctx.db, ctx.chainId, signer, nodeId))?.as;
  if (!as) throw new ApiError(403, "bad_signature", `the signature recovers to ${signer}, who may not sign for node ${nodeId} (wrong signer, or signed for another fragment, replica, round, delta or loss)`);
  if (slot.state === "submitted") {
    const prior = await ctx.db.fragmentResult.findUniqueOrThrow({ where: { slotId } });
    if (prior.deltaSha256 === deltaSha256 && prior.signature.toLowerCase() === signature.toLowerCase()) {
      return { resultId: prior.id, slotId, deltaSha256, status: prior.status === "accepted" ? "accepted" : prior.status === "rejected" ? "rejected" : "pending", duplicate: true };
    }
    throw new ApiError(409, "result_conflict", `slot ${slotId} already has a different result`);
  }
  if (!slot.leaseDeadline || slot.leaseDeadline.getTime() < Date.now()) throw await leaseError(ctx.db, slotId, nodeId);

  await ctx.store.put(bytes, deltaSha256);
  const [recorded] = await recordResults(ctx.db, nodeId, [{ slotId, signer, signature, deltaSha256, loss }]);
  if (!recorded) {
    // Lost a race (the lease expired and was reclaimed, or a concurrent identical submission won).
    const prior = await ctx.db.fragmentResult.findUnique({ where: { slotId } });
    if (prior && prior.deltaSha256 === deltaSha256 && prior.signature === signature.toLowerCase()) return { resultId: prior.id, slotId, deltaSha256, status: prior.status === "accepted" ? "accepted" : "pending", duplicate: true };
    throw await leaseError(ctx.db, slotId, nodeId);
  }
  return { resultId: recorded.id, slotId, deltaSha256, status: recorded.status, duplicate: false };
}

/** A checked result (signature recovered, delta stored) ready to be recorded for its slot. */
export type ResultRecord = { slotId: string; signer: string; signature: string; deltaSha256: string; loss: number };
export type RecordedResult = { slotId: string; id: string; status: "pending" | "accepted" };

/**
 * Records checked results of `nodeId`'s live leases in ONE statement, for any number of slots: each
 * slot moves leased → submitted (only while its lease is live and held by `nodeId`, so a slot gets at
 * most one result: idempotent per replica slot) and its result row is inserted. In the same statement a
 * compute fragment is accepted when every live compute result of it, earlier ones included, carries
 * the same delta hash and there are at least `quorum` of them — identical bytes agree under any
 * tolerance, so this is exactly what the verification pass would decide (verify.ts); it also accepts
 * the earlier replicas and adds the spot-check verify slot when the fragment's draw says so. (Unlike
 * the verification pass it has no compute slots to cancel: before a referee a fragment has exactly
 * `quorum` compute slots, and all of them carry a live result here.) Everything else (differing hashes, a referee, adaptive k = 1, spot
 * checks, fragments without a recorded draw) stays pending for runVerification; both lock the fragment
 * row to accept it, so the two never both accept one fragment.
 * Returns one row per recorded slot; a slot missing from the answer was not this node's live lease.
 */
export async function recordResults(db: PrismaClient, nodeId: bigint, items: ResultRecord[]): Promise<RecordedResult[]> {
  if (items.length === 0) return [];
  const ids = items.map((i) => i.slotId);
  // The per-slot values travel as one jsonb object keyed by slot id (a binary-searched lookup per row),
  // not as a set joined to the updated slots: the planner guesses one row for every CTE and for slots
  // filtered on state/node, and runs such a join as a nested loop over both sides — quadratic in the batch.
  const values = JSON.stringify(Object.fromEntries(items.map((i) => [i.slotId, [i.signer.toLowerCase(), i.signature.toLowerCase(), i.deltaSha256, i.loss]])));
  // Likewise each lookup below is a keyed probe (= ANY(ARRAY(...)); IN inside an expression is a hashed
  // subplan), and `(state = 'leased') IS TRUE` keeps the slots found by primary key: a plain
  // `state = 'leased'` lets the planner pick a partial index (lease or owner-live) whose stale
  // statistics look empty, and then it reads every live slot. The slot ids themselves go through
  // ARRAY(SELECT unnest(...)) too: given them as a literal array of a whole batch, the planner priced
  // 500 primary-key probes above a sequential scan and read every slot in the table (1.6 ms a batch at
  // 20,000 slots, growing with the table). It runs as a named prepared statement (rawRows): the
  // generic plan Postgres settles on after five calls has this same shape (EXPLAIN EXECUTE under
  // plan_cache_mode = force_generic_plan), and the result route, which records one result a call,
  // no longer parses and rewrites this whole CTE for every result (planning 1.7–2.1 ms → 0.9 ms a
  // call; Postgres keeps choosing custom plans for it). The values must reach Postgres untyped and
  // typed by the `::jsonb` cast below, as pg sends them: a parameter declared text would be cast in
  // a generic plan once per row (measured: 19 ms → 300 ms a batch of 500).
  return rawRows<RecordedResult>(db, Prisma.sql`
    WITH s AS (
      UPDATE replica_slots r SET state = 'submitted' FROM fragments f
      WHERE r.id = ANY (ARRAY(SELECT unnest(${ids}::uuid[]))) AND (r.state = 'leased') IS TRUE AND r.node_id = ${nodeId} AND r.lease_deadline >= now() AND f.id = r.fragment_id
      RETURNING r.id, r.fragment_id, r.job_id, r.replica, r.kind, r.node_id, r.owner, ${values}::jsonb -> r.id::text AS v, f.work_units,
                (r.kind = 'compute' AND f.status = 'open' AND f.reference_sha256 IS NULL AND f.spot_check IS NOT NULL) AS fast, f.quorum
    ), live AS (
      -- With quorum 1 (before a referee) the fragment's only compute slot is the one submitted here,
      -- so there are no earlier results to look up, nor to accept below.
      SELECT fragment_id, replica, v ->> 2 AS delta_sha256, (v ->> 3)::float8 AS loss, quorum FROM s WHERE fast
      UNION ALL
      SELECT p.fragment_id, p.replica, p.delta_sha256, p.loss, NULL FROM fragment_results p
      WHERE p.fragment_id = ANY (ARRAY(SELECT fragment_id FROM s WHERE fast AND quorum > 1)) AND p.kind = 'compute' AND p.status IN ('pending', 'valid')
    ), agreed AS (
      SELECT fragment_id AS id, (array_agg(delta_sha256 ORDER BY replica))[1] AS sha, (array_agg(loss ORDER BY replica))[1] AS loss
      FROM live GROUP BY fragment_id
      HAVING count(*) >= max(quorum) AND count(DISTINCT delta_sha256) = 1
    ), mine AS (
      -- SKIP LOCKED: a fragment the verification pass holds is left to it (waiting here, while holding
      -- this statement's slot locks, could deadlock with its cancelling of those slots).
      SELECT f.id, a.sha, a.loss FROM agreed a JOIN fragments f ON f.id = a.id
      WHERE f.status = 'open' AND f.reference_sha256 IS NULL
      FOR UPDATE OF f SKIP LOCKED
    ), acc AS (
      UPDATE fragments f SET status = 'accepted', accepted_sha256 = m.sha, accepted_loss = m.loss, accepted_at = now()
      FROM mine m WHERE f.id = m.id
      RETURNING f.id, f.spot_check, f.quorum
    ), ins AS (
      INSERT INTO fragment_results (id, slot_id, fragment_id, job_id, replica, kind, node_id, owner, signer, signature, delta_sha256, loss, work_units, status, verified_at)
      SELECT gen_random_uuid(), id, fragment_id, job_id, replica, kind, node_id, owner, v ->> 0, v ->> 1, v ->> 2, (v ->> 3)::float8, work_units,
             CASE WHEN ok THEN 'accepted' ELSE 'pending' END, CASE WHEN ok THEN now() END
      FROM (SELECT s.*, (s.fast AND s.fragment_id IN (SELECT id FROM acc)) AS ok FROM s) x
      RETURNING id, slot_id, status
    ), earlier AS (
      UPDATE fragment_results p SET status = 'accepted', verified_at = now()
      WHERE p.fragment_id = ANY (ARRAY(SELECT id FROM acc WHERE quorum > 1)) AND p.kind = 'compute' AND p.status IN ('pending', 'valid')
    ), spot AS (
      INSERT INTO replica_slots (id, fragment_id, job_id, replica, kind, state, priority, min_tier, lease_ms)
      SELECT gen_random_uuid(), acc.id, last.job_id, last.replica + 1, 'verify', 'open', last.priority, last.min_tier, last.lease_ms
      FROM acc CROSS JOIN LATERAL (
        SELECT o.job_id, o.replica, o.priority, o.min_tier, o.lease_ms FROM replica_slots o WHERE o.fragment_id = acc.id ORDER BY o.replica DESC LIMIT 1
      ) last
      WHERE acc.spot_check
    )
    SELECT slot_id AS "slotId", id, status FROM ins`, "corex_record_results");
}
