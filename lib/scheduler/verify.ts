import "server-only";
import { compareWeights, runFragmentReference } from "@/lib/compute";
import { hash32 } from "@/lib/compute";
import type { Prisma } from "@/lib/db";
import { getBlob, TOLERANCE, type SchedulerCtx } from "./context";
import { fragmentInput, type TrainingSpec } from "./inputs";
import { decodeFloat32, encodeFloat32 } from "./protocol";

type Tx = Prisma.TransactionClient;
type ResultRow = Awaited<ReturnType<Tx["fragmentResult"]["findMany"]>>[number];

/** Two deltas agree when each is within the relative-L2 tolerance of the other (README → Tolerance). */
export function agree(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  return compareWeights(a, b).relativeL2 <= TOLERANCE.relativeL2 && compareWeights(b, a).relativeL2 <= TOLERANCE.relativeL2;
}

/** Deterministic spot-check draw for fragment (r, s) of a job: hash32(seed ⊕ "spot", r, s) / 2³² < rate. */
export function spotChecked(spec: TrainingSpec, round: number, shard: number): boolean {
  return hash32((spec.hyper.seed ^ 0x73706f74) >>> 0, round, shard) / 4294967296 < spec.spotCheckRate;
}

export type VerificationReport = { fragmentsAccepted: number; resultsAccepted: number; resultsRejected: number; faults: number; referenceRuns: number; extraSlots: number; adaptive: number };

/**
 * Adaptive replication (BOINC): a node with at least this many accepted results and no fault on
 * record is trusted with k = 1 — its lone result is accepted and the fragment always gets a spot
 * check, which (with the reference as referee) faults and bars a trusted node that cheats.
 */
export const ADAPTIVE_MIN_VALID = 50;
export type VerificationOptions = { adaptiveMinValid?: number };

/**
 * One verification pass over every fragment with pending results, outside the request path (the
 * coordinator loop calls it; tests call it directly). Per fragment, under a row lock taken with SKIP
 * LOCKED so several coordinators share the work:
 *  - no referee yet and all results agree: accepted once `quorum` of them agree;
 *  - a disagreement: the CPU reference (runFragmentReference) recomputes the fragment and becomes the
 *    referee; results that disagree with it are rejected with a fault (evidence: fragment, inputs,
 *    both hashes, reference hash) and each rejected compute replica is replaced by a new slot;
 *  - verify results (spot checks) are judged against the accepted delta, the reference deciding any
 *    disagreement (if the reference sides with the verifier, the accepted results are faulted and the
 *    verifier's delta replaces them — aggregation waits for a round's spot checks).
 */
export async function runVerification(ctx: SchedulerCtx, opts: VerificationOptions = {}): Promise<VerificationReport> {
  const report: VerificationReport = { fragmentsAccepted: 0, resultsAccepted: 0, resultsRejected: 0, faults: 0, referenceRuns: 0, extraSlots: 0, adaptive: 0 };
  const pending = await ctx.db.$queryRaw<{ fragment_id: string }[]>`SELECT DISTINCT fragment_id FROM fragment_results WHERE status = 'pending'`;
  for (const { fragment_id } of pending) {
    await ctx.db.$transaction((tx) => verifyFragment(ctx, tx, fragment_id, report, opts.adaptiveMinValid ?? ADAPTIVE_MIN_VALID), { timeout: 120_000 });
  }
  return report;
}

async function verifyFragment(ctx: SchedulerCtx, tx: Tx, fragmentId: string, report: VerificationReport, adaptiveMinValid: number): Promise<void> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM fragments WHERE id = ${fragmentId}::uuid FOR UPDATE SKIP LOCKED`;
  if (!locked[0]) return;
  const fragment = await tx.fragment.findUniqueOrThrow({ where: { id: fragmentId } });
  const job = await tx.job.findUniqueOrThrow({ where: { id: fragment.jobId }, select: { spec: true, chainId: true } });
  const spec = job.spec as unknown as TrainingSpec;
  const results = await tx.fragmentResult.findMany({ where: { fragmentId, status: { in: ["pending", "valid", "accepted"] } }, orderBy: { replica: "asc" } });
  const deltas = new Map<string, Float32Array>();
  const deltaOf = async (sha: string) => {
    let d = deltas.get(sha);
    if (!d) deltas.set(sha, (d = decodeFloat32(await getBlob(ctx.store, sha))));
    return d;
  };
  let referenceSha = fragment.referenceSha256;
  const reference = async () => {
    if (!referenceSha) {
      const input = fragmentInput(spec, fragment.round, fragment.shard, await getBlob(ctx.store, fragment.weightsSha256), await getBlob(ctx.store, fragment.shardSha256));
      const ref = runFragmentReference(input);
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
    if (!referenceSha) {
      const first = live[0];
      let allAgree = true;
      for (const r of live.slice(1)) if (!agree(await deltaOf(r.deltaSha256), await deltaOf(first!.deltaSha256))) allAgree = false;
      if (allAgree) {
        if (live.length >= fragment.quorum) await accept(live);
        else if (live.length === 1 && (await trusted(tx, job.chainId, live[0]!.nodeId, adaptiveMinValid))) {
          report.adaptive++;
          await accept(live, true);
        }
        return;
      }
    }
    // Disagreement (now or before): the CPU reference is the referee.
    const ref = await reference();
    const valid: ResultRow[] = [];
    for (const r of live) {
      if (agree(await deltaOf(r.deltaSha256), ref)) {
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

  // Accepted fragment: judge spot-check (verify) results against the accepted delta.
  for (const v of results.filter((r) => r.kind === "verify" && r.status === "pending")) {
    const accepted = await deltaOf(fragment.acceptedSha256!);
    if (agree(await deltaOf(v.deltaSha256), accepted)) {
      await tx.fragmentResult.update({ where: { id: v.id }, data: { status: "accepted", verifiedAt: new Date() } });
      report.resultsAccepted++;
      continue;
    }
    const ref = await reference();
    if (agree(accepted, ref)) {
      await reject(v, fragment.acceptedSha256);
      continue;
    }
    // The spot check caught a wrong accepted result.
    for (const a of compute.filter((r) => r.status === "accepted")) await reject(a, v.deltaSha256);
    if (agree(await deltaOf(v.deltaSha256), ref)) {
      await tx.fragmentResult.update({ where: { id: v.id }, data: { status: "accepted", verifiedAt: new Date() } });
      await tx.fragment.update({ where: { id: fragmentId }, data: { acceptedSha256: v.deltaSha256, acceptedLoss: v.loss } });
      report.resultsAccepted++;
    } else {
      await reject(v, fragment.acceptedSha256);
      await tx.fragment.update({ where: { id: fragmentId }, data: { acceptedSha256: referenceSha, acceptedLoss: null } });
    }
  }
}

/** A long valid record and no fault: eligible for k = 1. */
async function trusted(tx: Tx, chainId: number, nodeId: bigint, minValid: number): Promise<boolean> {
  if (await tx.fault.count({ where: { chainId, nodeId } })) return false;
  return (await tx.fragmentResult.count({ where: { nodeId, status: "accepted" } })) >= minValid;
}
