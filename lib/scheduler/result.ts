import "server-only";
import { recoverTypedDataAddress } from "viem";
import { ApiError, readBodyLimited } from "@/lib/api";
import { sha256Hex } from "@/lib/blobs";
import { parameterCount } from "@/lib/compute";
import type { SchedulerCtx } from "./context";
import { leaseError } from "./claim";
import { mlpOf, type TrainingSpec } from "./inputs";
import { nodeAuthority } from "./worker-auth";
import { decodeFloat32, lossBits, RESULT_LOSS_HEADER, RESULT_SIGNATURE_HEADER, resultDomain, resultTypes } from "./protocol";

export type ResultReceipt = { resultId: string; slotId: string; deltaSha256: string; status: "pending" | "accepted" | "rejected"; duplicate: boolean };

type SlotRow = {
  state: string; node_id: bigint | string | null; replica: number; lease_deadline: Date | null;
  fragment_id: string; round: number; work_units: string; spec_hash: string; spec: unknown;
};

const bad = (message: string) => new ApiError(400, "validation_failed", message);

/**
 * POST /api/fragments/{slotId}/result. Body: the delta (application/octet-stream, float32 LE, README →
 * Fragments); headers x-corex-loss (the mean loss) and x-corex-signature (EIP-712 FragmentResult by the
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
    SELECT s.state, s.node_id, s.replica, s.lease_deadline, f.id AS fragment_id, f.round, f.work_units::text AS work_units, j.spec_hash, j.spec
    FROM replica_slots s JOIN fragments f ON f.id = s.fragment_id JOIN jobs j ON j.id = s.job_id
    WHERE s.id = ${slotId}::uuid`;
  const row = found[0];
  if (!row) throw new ApiError(404, "not_found", `no replica slot ${slotId}`);
  const slot = { state: row.state, nodeId: row.node_id === null ? null : BigInt(row.node_id), replica: row.replica, leaseDeadline: row.lease_deadline };
  const fragment = { id: row.fragment_id, round: row.round, workUnits: row.work_units };
  const job = { specHash: row.spec_hash, spec: row.spec };
  const n = parameterCount(mlpOf(job.spec as unknown as TrainingSpec));
  const bytes = await readBodyLimited(request, n * 4);
  if (bytes.byteLength !== n * 4) throw new ApiError(422, "delta_length", `the delta must be ${n} float32 values (${n * 4} bytes), got ${bytes.byteLength} bytes`);
  const delta = decodeFloat32(bytes);
  const bad_ = delta.findIndex((v) => !Number.isFinite(v));
  if (bad_ >= 0) throw new ApiError(422, "delta_not_finite", `delta value ${bad_} is ${delta[bad_]}`);
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
  const rows = await ctx.db.$queryRaw<{ id: string }[]>`
    WITH s AS (
      UPDATE replica_slots SET state = 'submitted'
      WHERE id = ${slotId}::uuid AND state = 'leased' AND node_id = ${nodeId} AND lease_deadline >= now()
      RETURNING id, fragment_id, job_id, replica, kind, node_id, owner
    )
    INSERT INTO fragment_results (id, slot_id, fragment_id, job_id, replica, kind, node_id, owner, signer, signature, delta_sha256, loss, work_units, status)
    SELECT gen_random_uuid(), s.id, s.fragment_id, s.job_id, s.replica, s.kind, s.node_id, s.owner, ${signer.toLowerCase()}, ${signature.toLowerCase()},
           ${deltaSha256}, ${loss}, ${fragment.workUnits}::numeric, 'pending'
    FROM s RETURNING id`;
  if (!rows[0]) {
    // Lost a race (the lease expired and was reclaimed, or a concurrent identical submission won).
    const prior = await ctx.db.fragmentResult.findUnique({ where: { slotId } });
    if (prior && prior.deltaSha256 === deltaSha256 && prior.signature === signature.toLowerCase()) return { resultId: prior.id, slotId, deltaSha256, status: "pending", duplicate: true };
    throw await leaseError(ctx.db, slotId, nodeId);
  }
  return { resultId: rows[0].id, slotId, deltaSha256, status: "pending", duplicate: false };
}
