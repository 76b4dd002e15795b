import "server-only";
import { randomInt } from "node:crypto";
import { compareWeights } from "@/lib/compute";
import type { Prisma } from "@/lib/db";
import { getBlob, type SchedulerCtx } from "./context";
import { decodeFloat32, encodeFloat32, referenceFragment, specOf } from "@/lib/protocol";
import { DEFAULT_ADAPTIVE, spotCheckDrawn, trustedWith, type AdaptivePolicy } from "./adaptive";
import { agree, spotChecked } from "./verify-rules";

export { agree, spotChecked } from "./verify-rules";

type Tx = Prisma.TransactionClient;
type ResultRow = Awaited<ReturnType<Tx["fragmentResult"]["findMany"]>>[number];

export type VerificationReport = {
  fragmentsAccepted: number; resultsAccepted: number; resultsRejected: number; faults: number; referenceRuns: number; extraSlots: number; adaptive: number;
  /** spot checks no node took, settled by the CPU reference (refereeStaleSpotChecks) */
  spotChecksRefereed: number;
};

/**
 * Adaptive replication (BOINC, ./adaptive.ts): a node with at least this many accepted results and no
 * fault on record is trusted with k = 1 — its lone result is accepted and the fragment gets a spot
 * check with a probability that falls as the node's record grows (every one at the threshold), which
 * (with the reference as referee) faults and bars a trusted node that cheats.
 */
export const ADAPTIVE_MIN_VALID = DEFAULT_ADAPTIVE.minValid;
/** How long a spot check may stay unclaimed while some node could take it (SPOT_CHECK_WAIT_S). */
export const SPOT_CHECK_WAIT_MS = 300_000;
export type VerificationOptions = {
  adaptiveMinValid?: number;
  /** the lowest spot-check probability of a trusted node's lone result (AdaptivePolicy.floor) */
  adaptiveSpotCheckFloor?: number;
  spotCheckWaitMs?: number;
  /**
   * Issue one compute replica per fragment when a round opens; the verification pass adds the others
   * only for a result from an untrusted node. Without it all k replicas are open from the start, and
   * a trusted node's k = 1 accept cancels the rest, wasting any that another node had already leased.
   */
  lazyReplicas?: boolean;
  /** uniform [0, 1) for the spot-check draws (default: crypto randomness) */
  random?: () => number;
};

const cryptoUniform = () => randomInt(2 ** 47) / 2 ** 47;

/**
 * One verification pass over every fragment with pending results, outside the request path (the
 * coordinator loop calls it; tests call it directly). Per fragment, under a row lock taken with SKIP
 * LOCKED so several coordinators share the work:
 *  - no referee yet and all results agree: accepted once `quorum` of them agree;
 *  - a disagreement: the CPU reference (runFragmentReference, or runGptFragmentReference for GPT jobs) recomputes the fragment and becomes the
 *    referee; results that disagree with it are rejected with a fault (evidence: fragment, inputs,
 *    both hashes, reference hash) and each rejected compute replica is replaced by a new slot;
 *  - verify results (spot checks) are judged against the accepted delta, the reference deciding any
 *    disagreement (if the reference sides with the verifier, the accepted results are faulted and the
 *    verifier's delta replaces them — aggregation waits for a round's spot checks).
 */
export async function runVerification(ctx: SchedulerCtx, opts: VerificationOptions = {}): Promise<VerificationReport> {
  const report: VerificationReport = { fragmentsAccepted: 0, resultsAccepted: 0, resultsRejected: 0, faults: 0, referenceRuns: 0, extraSlots: 0, adaptive: 0, spotChecksRefereed: 0 };
  const pending = await ctx.db.$queryRaw<{ fragment_id: string }[]>`SELECT DISTINCT fragment_id FROM fragment_results WHERE status = 'pending'`;
  for (const { fragment_id } of pending) {
    await ctx.db.$transaction((tx) => verifyFragment(ctx, tx, fragment_id, report, adaptiveOf(opts)), { timeout: 120_000 });
  }
  await refereeStaleSpotChecks(ctx, report, opts.spotCheckWaitMs ?? SPOT_CHECK_WAIT_MS);
  return report;
}

type Adaptive = { policy: AdaptivePolicy; random: () => number };
const adaptiveOf = (opts: VerificationOptions): Adaptive => ({
  policy: { minValid: opts.adaptiveMinValid ?? DEFAULT_ADAPTIVE.minValid, floor: opts.adaptiveSpotCheckFloor ?? DEFAULT_ADAPTIVE.floor },
  random: opts.random ?? cryptoUniform,
});

/**
 * Liveness of spot checks. A verify slot must go to an owner with no replica of the fragment, and the
 * round waits for it (runAggregation): in a network of two owners, or while the only other nodes are
 * offline, nobody would ever take it and the job would stop. So a spot check still open after `waitMs`
 * — or at once when no node could ever claim it (none active, of the slot's tier, unbarred, of another
 * owner) — is settled by the CPU reference instead, exactly as a referee settles a disagreement: the
 * slot is closed (`cancelled`, so no verifier is credited), the fragment records the reference hash,
 * and if the reference disagrees with the accepted delta the accepted results are faulted and the
 * reference delta is accepted in their place. The check is kept; only who runs it changes.
 */
async function refereeStaleSpotChecks(ctx: SchedulerCtx, report: VerificationReport, waitMs: number): Promise<void> {
  const stale = await ctx.db.$queryRaw<{ id: string; fragment_id: string }[]>`
    SELECT s.id, s.fragment_id FROM replica_slots s JOIN jobs j ON j.id = s.job_id
    WHERE s.kind = 'verify' AND s.state = 'open' AND j.status = 'active'
      AND (s.created_at < now() - make_interval(secs => ${waitMs / 1000})
           OR NOT EXISTS (
             SELECT 1 FROM nodes n
             WHERE n.chain_id = j.chain_id AND n.active AND n.tier >= s.min_tier
               AND NOT EXISTS (SELECT 1 FROM faults f WHERE f.chain_id = n.chain_id AND f.node_id = n.node_id)
               AND NOT EXISTS (SELECT 1 FROM replica_slots o WHERE o.fragment_id = s.fragment_id AND o.state IN ('leased', 'submitted') AND o.owner = n.owner)))`;
  for (const slot of stale) {
    await ctx.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM fragments WHERE id = ${slot.fragment_id}::uuid AND status = 'accepted' FOR UPDATE SKIP LOCKED`;
      if (!locked[0]) return;
      // A node may have claimed it since: then its result decides, as usual.
      const closed = await tx.$executeRaw`UPDATE replica_slots SET state = 'cancelled' WHERE id = ${slot.id}::uuid AND state = 'open'`;
      if (closed === 0) return;
      const j = await judge(ctx, tx, slot.fragment_id, report);
      const accepted = await j.deltaOf(j.fragment.acceptedSha256!);
      report.spotChecksRefereed++;
      if (agree(accepted, await j.reference(), j.spec)) return;
      const results = await tx.fragmentResult.findMany({ where: { fragmentId: slot.fragment_id, kind: "compute", status: "accepted" } });
      for (const a of results) await j.reject(a, null);
      await tx.fragment.update({ where: { id: slot.fragment_id }, data: { acceptedSha256: j.referenceSha(), acceptedLoss: null } });
    }, { timeout: 120_000 });
  }
}

type Fragment = Awaited<ReturnType<Tx["fragment"]["findUniqueOrThrow"]>>;

/**
 * What judging one locked fragment needs: its job's spec, deltas by hash (read once), the CPU
 * reference (run once per fragment, its hash recorded on the fragment) and rejecting a result with a
 * fault that carries the evidence.
 */
async function judge(ctx: SchedulerCtx, tx: Tx, fragmentId: string, report: VerificationReport) {
  const fragment: Fragment = await tx.fragment.findUniqueOrThrow({ where: { id: fragmentId } });
  const job = await tx.job.findUniqueOrThrow({ where: { id: fragment.jobId }, select: { spec: true, chainId: true } });
  const spec = specOf({ id: fragment.jobId, spec: job.spec });
  const deltas = new Map<string, Float32Array>();
  const deltaOf = async (sha: string) => {
    let d = deltas.get(sha);
    if (!d) deltas.set(sha, (d = decodeFloat32(await getBlob(ctx.store, sha))));
    return d;
  };
  let referenceSha = fragment.referenceSha256;
  const reference = async () => {
    if (!referenceSha) {
      const ref = referenceFragment(spec, fragment.round, fragment.shard, await getBlob(ctx.store, fragment.weightsSha256), await getBlob(ctx.store, fragment.shardSha256));
      referenceSha = (await ctx.store.put(encodeFloat32(ref.delta))).sha256;
      deltas.set(referenceSha, ref.delta);
      await tx.fragment.update({ where: { id: fragmentId }, data: { referenceSha256: referenceSha } });
      report.referenceRuns++;
    }
    return deltaOf(referenceSha);
  };
  const reject = async (r: ResultRow, other: string | null) => {
    await tx.fragmentResult.update({ where: { id: r.id }, data: { status: "rejected", verifiedAt: new Date() } });
    await tx.fault.create({
      data: {
        chainId: job.chainId, nodeId: r.nodeId, owner: r.owner, jobId: r.jobId, fragmentId, resultId: r.id, reason: "disagrees_with_reference",
        evidence: {
          fragment: { id: fragmentId, jobId: fragment.jobId, round: fragment.round, shard: fragment.shard },
          inputs: { weightsSha256: fragment.weightsSha256, shardSha256: fragment.shardSha256, seed: Number(fragment.seed), steps: spec.hyper.localSteps, batch: spec.hyper.batch, lr: spec.hyper.learningRate, model: spec.model },
          resultSha256: r.deltaSha256, otherResultSha256: other, referenceSha256: referenceSha, replica: r.replica, kind: r.kind, signer: r.signer, signature: r.signature,
          relativeL2ToReference: compareWeights(await deltaOf(r.deltaSha256), await reference()).relativeL2,
        },
      },
    });
    report.resultsRejected++;
    report.faults++;
  };
  return { fragment, job, spec, deltaOf, reference, reject, referenceSha: () => referenceSha };
}

async function verifyFragment(ctx: SchedulerCtx, tx: Tx, fragmentId: string, report: VerificationReport, adaptive: Adaptive): Promise<void> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM fragments WHERE id = ${fragmentId}::uuid FOR UPDATE SKIP LOCKED`;
  if (!locked[0]) return;
  const { fragment, job, spec, deltaOf, reference, reject, referenceSha: currentReference } = await judge(ctx, tx, fragmentId, report);
  const same = (a: Float32Array, b: Float32Array) => agree(a, b, spec);
  // Identical bytes agree under any tolerance: equal hashes need neither blob read back nor decoded
  // (honest replicas on the same kind of backend send bit-identical results).
  const sameSha = async (a: string, b: string) => a === b || same(await deltaOf(a), await deltaOf(b));
  const results = await tx.fragmentResult.findMany({ where: { fragmentId, status: { in: ["pending", "valid", "accepted"] } }, orderBy: { replica: "asc" } });
  const addSlot = async (kind: "compute" | "verify") => {
    const last = await tx.replicaSlot.findFirst({ where: { fragmentId }, orderBy: { replica: "desc" } });
    await tx.replicaSlot.create({ data: { fragmentId, jobId: fragment.jobId, replica: (last?.replica ?? -1) + 1, kind, state: "open", priority: last!.priority, minTier: last!.minTier, leaseMs: last!.leaseMs } });
    if (kind === "compute") report.extraSlots++;
  };
  const accept = async (winners: ResultRow[], forceSpotCheck = false) => {
    const now = new Date();
    await tx.fragmentResult.updateMany({ where: { id: { in: winners.map((w) => w.id) } }, data: { status: "accepted", verifiedAt: now } });
    await tx.fragment.update({ where: { id: fragmentId }, data: { status: "accepted", acceptedSha256: winners[0]!.deltaSha256, acceptedLoss: winners[0]!.loss, acceptedAt: now } });
    // The remaining compute slots are not needed any more (late results get 409 slot_closed).
    await tx.replicaSlot.updateMany({ where: { fragmentId, kind: "compute", state: { in: ["open", "leased"] } }, data: { state: "cancelled" } });
    report.fragmentsAccepted++;
    report.resultsAccepted += winners.length;
    if (forceSpotCheck || spotChecked(spec, fragment.round, fragment.shard)) await addSlot("verify");
  };

  const compute = results.filter((r) => r.kind === "compute");
  if (fragment.status === "open") {
    const live = compute.filter((r) => r.status === "pending" || r.status === "valid");
    if (!currentReference()) {
      const first = live[0];
      let allAgree = true;
      for (const r of live.slice(1)) if (!(await sameSha(r.deltaSha256, first!.deltaSha256))) allAgree = false;
      if (allAgree) {
        if (live.length >= fragment.quorum) await accept(live);
        else if (live.length === 1) {
          const reputation = await reputationOf(tx, job.chainId, live[0]!.nodeId);
          if (trustedWith(reputation, adaptive.policy)) {
            report.adaptive++;
            await accept(live, spotCheckDrawn(reputation, adaptive.policy, adaptive.random()));
          } else {
            // Untrusted: the fragment needs its k replicas (a lazily opened round issued only one).
            const issued = await tx.replicaSlot.count({ where: { fragmentId, kind: "compute", state: { in: ["open", "leased", "submitted"] } } });
            for (let i = issued; i < fragment.quorum; i++) await addSlot("compute");
          }
        }
        return;
      }
    }
    // Disagreement (now or before): the CPU reference is the referee.
    const ref = await reference();
    const valid: ResultRow[] = [];
    for (const r of live) {
      if (same(await deltaOf(r.deltaSha256), ref)) {
        valid.push(r);
        if (r.status === "pending") await tx.fragmentResult.update({ where: { id: r.id }, data: { status: "valid", verifiedAt: new Date() } });
      } else {
        await reject(r, live.find((o) => o !== r)?.deltaSha256 ?? null);
        await addSlot("compute");
      }
    }
    if (valid.length >= fragment.quorum) await accept(valid);
    return;
  }

  // Accepted fragment: judge spot-check (verify) results against the accepted delta — and a late
  // compute replica's the same way: one submitted in the moment between this pass reading the results
  // and cancelling the open and leased slots (an adaptive accept of another replica) stays pending, and a
  // pending result holds the round back from aggregation for good.
  for (const v of results.filter((r) => r.status === "pending")) {
    if (await sameSha(v.deltaSha256, fragment.acceptedSha256!)) {
      await tx.fragmentResult.update({ where: { id: v.id }, data: { status: "accepted", verifiedAt: new Date() } });
      report.resultsAccepted++;
      continue;
    }
    const ref = await reference();
    const accepted = await deltaOf(fragment.acceptedSha256!);
    if (same(accepted, ref)) {
      await reject(v, fragment.acceptedSha256);
      continue;
    }
    // The spot check caught a wrong accepted result.
    for (const a of compute.filter((r) => r.status === "accepted")) await reject(a, v.deltaSha256);
    if (same(await deltaOf(v.deltaSha256), ref)) {
      await tx.fragmentResult.update({ where: { id: v.id }, data: { status: "accepted", verifiedAt: new Date() } });
      await tx.fragment.update({ where: { id: fragmentId }, data: { acceptedSha256: v.deltaSha256, acceptedLoss: v.loss } });
      report.resultsAccepted++;
    } else {
      await reject(v, fragment.acceptedSha256);
      await tx.fragment.update({ where: { id: fragmentId }, data: { acceptedSha256: currentReference(), acceptedLoss: null } });
    }
  }
}

/** A node's reputation: its accepted results (compute and spot checks), 0 once it has a fault. */
async function reputationOf(tx: Tx, chainId: number, nodeId: bigint): Promise<number> {
  if (await tx.fault.count({ where: { chainId, nodeId } })) return 0;
  return tx.fragmentResult.count({ where: { nodeId, status: "accepted" } });
}
