import "server-only";
import { notFound } from "@/lib/api";
import type { PrismaClient } from "@/lib/db";
import { specOf } from "@/lib/protocol";

/** A fragment's state as the job page shows it, derived from its row, its replica slots and its results. */
export const fragmentStates = ["open", "leased", "submitted", "disputed", "accepted"] as const;
export type FragmentState = (typeof fragmentStates)[number];

type FragmentFacts = { accepted: boolean; refereed: boolean; rejected: number; leased: number; pending: number };

/**
 * Precedence, most final first: accepted; disputed (a replica was rejected or the CPU referee ran, and
 * the fragment is not accepted yet); leased (a replica is being computed now); submitted (results wait
 * for verification or for the rest of the quorum); open (nothing in flight).
 */
export function fragmentState(f: FragmentFacts): FragmentState {
  if (f.accepted) return "accepted";
  if (f.refereed || f.rejected > 0) return "disputed";
  if (f.leased > 0) return "leased";
  if (f.pending > 0) return "submitted";
  return "open";
}

export type RoundProgress = {
  round: number;
  status: "open" | "aggregated";
  /** fragments of this round accepted, out of `shards` (S) */
  accepted: number;
  shards: number;
  /** compute or verify replicas leased to a node right now */
  inFlight: number;
  states: Record<FragmentState, number>;
  trainLoss: number | null;
  heldOutLoss: number | null;
  heldOutAccuracy: number | null;
  /** GPT jobs: the texts sampled from this round's W_{r+1} (null for MLP jobs and open rounds) */
  samples: string[] | null;
  aggregatedAt: string | null;
};

export type JobProgress = {
  run: { status: string; round: number; finalWeightsSha256: string | null; completeTx: string | null; completedAt: string | null } | null;
  /** R and S from the spec */
  totalRounds: number;
  shards: number;
  /** aggregated rounds / R */
  done: number;
  states: Record<FragmentState, number>;
  rounds: RoundProgress[];
};

const zero = (): Record<FragmentState, number> => ({ open: 0, leased: 0, submitted: 0, disputed: 0, accepted: 0 });

/** What the job page shows of a job's training: its run, every round's progress and metrics, fragments by state. */
export async function jobProgress(db: PrismaClient, jobId: string): Promise<JobProgress> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { spec: true } });
  if (!job) throw notFound(`no job ${jobId}`);
  const spec = specOf({ id: jobId, spec: job.spec });
  const [run, rounds, fragments, leased, results] = await Promise.all([
    db.trainingRun.findUnique({ where: { jobId } }),
    db.round.findMany({ where: { jobId }, orderBy: { round: "asc" } }),
    db.fragment.findMany({ where: { jobId }, select: { id: true, round: true, status: true, referenceSha256: true } }),
    db.replicaSlot.groupBy({ by: ["fragmentId"], where: { jobId, state: "leased" }, _count: { _all: true } }),
    db.fragmentResult.groupBy({ by: ["fragmentId", "status"], where: { jobId, status: { in: ["pending", "valid", "rejected"] } }, _count: { _all: true } }),
  ]);
  const leasedBy = new Map(leased.map((l) => [l.fragmentId, l._count._all]));
  const resultsBy = new Map<string, { pending: number; rejected: number }>();
  for (const r of results) {
    const e = resultsBy.get(r.fragmentId) ?? { pending: 0, rejected: 0 };
    if (r.status === "rejected") e.rejected += r._count._all;
    else e.pending += r._count._all;
    resultsBy.set(r.fragmentId, e);
  }
  const byRound = new Map<number, { states: Record<FragmentState, number>; inFlight: number }>();
  const states = zero();
  for (const f of fragments) {
    const res = resultsBy.get(f.id) ?? { pending: 0, rejected: 0 };
    const inFlight = leasedBy.get(f.id) ?? 0;
    const s = fragmentState({ accepted: f.status === "accepted", refereed: f.referenceSha256 !== null, rejected: res.rejected, leased: inFlight, pending: res.pending });
    const e = byRound.get(f.round) ?? { states: zero(), inFlight: 0 };
    e.states[s]++;
    e.inFlight += inFlight;
    byRound.set(f.round, e);
    states[s]++;
  }
  return {
    run: run
      ? { status: run.status, round: run.round, finalWeightsSha256: run.finalWeightsSha256, completeTx: run.completeTx, completedAt: run.completedAt?.toISOString() ?? null }
      : null,
    totalRounds: spec.hyper.rounds,
    shards: spec.hyper.shards,
    done: rounds.filter((r) => r.status === "aggregated").length,
    states,
    rounds: rounds.map((r) => {
      const e = byRound.get(r.round) ?? { states: zero(), inFlight: 0 };
      return {
        round: r.round, status: r.status as "open" | "aggregated", accepted: e.states.accepted, shards: spec.hyper.shards, inFlight: e.inFlight, states: e.states,
        trainLoss: r.trainLoss, heldOutLoss: r.heldOutLoss, heldOutAccuracy: r.heldOutAccuracy, aggregatedAt: r.aggregatedAt?.toISOString() ?? null,
        samples: (r.samples as { texts?: string[] } | null)?.texts ?? null,
      };
    }),
  };
}

/**
 * Fragments accepted per minute over the last `windowMinutes` (Home's live figure): a trailing window
 * rather than the current minute, so the figure does not drop to 0 between rounds' bursts.
 */
export async function fragmentsPerMinute(db: PrismaClient, windowMinutes = 5, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - windowMinutes * 60_000);
  const accepted = await db.fragment.count({ where: { status: "accepted", acceptedAt: { gt: since, lte: now } } });
  return accepted / windowMinutes;
}
