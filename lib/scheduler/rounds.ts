import "server-only";
import { fragmentSeed } from "@/lib/compute";
import type { Prisma } from "@/lib/db";
import { leaseMsFor, priorityOf, type SchedulerCtx } from "./context";
import { encodeFloat32, fragmentWorkUnits, initialWeights, isInferenceSpec, specOf, type TrainingSpec } from "@/lib/protocol";
import { spotChecked } from "./verify";

type Tx = Prisma.TransactionClient;

/**
 * Round r's fragments (one per shard) and k compute slots each, in the caller's transaction; with
 * `lazyReplicas` one slot each (the verification pass adds the rest for untrusted results, verify.ts).
 */
export async function createRound(tx: Tx, job: { id: string; spec: TrainingSpec }, round: number, weightsSha256: string, optimizerStateSha256: string | null, priority: bigint, { lazyReplicas = false } = {}) {
  const spec = job.spec;
  // Training fragments all weigh the same; an inference job's last fragment may hold fewer rows.
  const unitsOf = (s: number) => BigInt(fragmentWorkUnits(spec, s));
  await tx.round.create({ data: { jobId: job.id, round, status: "open", weightsSha256, optimizerStateSha256 } });
  // One age for the whole round: claims order by (fee, age, replica), so a batch of candidates takes the
  // round's first replicas before any second one rather than both replicas of one fragment.
  const createdAt = new Date();
  for (let s = 0; s < spec.hyper.shards; s++) {
    const units = unitsOf(s);
    const leaseMs = leaseMsFor(units);
    const f = await tx.fragment.create({
      data: {
        jobId: job.id, round, shard: s, seed: BigInt(fragmentSeed(spec.hyper.seed, round, s)), weightsSha256,
        shardSha256: spec.shards[s]!.sha256, workUnits: units.toString(), quorum: spec.redundancy, status: "open",
        spotCheck: spotChecked(spec, round, s),
      },
    });
    await tx.replicaSlot.createMany({
      data: Array.from({ length: lazyReplicas ? 1 : spec.redundancy }, (_, replica) => ({
        fragmentId: f.id, jobId: job.id, replica, kind: "compute", state: "open", priority: priority.toString(), minTier: spec.minTier, leaseMs, createdAt,
      })),
    });
  }
}

/**
 * Starts round 0 of every active job that has no training run yet: W_0 = the model kind's seeded init (initWeights / initGptWeights) with the job seed
 * (an inference job: the registry model's weights, its only round),
 * stored as a blob. Idempotent and safe from several coordinators (the run row is the lock).
 */
export async function startActiveJobs(ctx: SchedulerCtx, opts: { lazyReplicas?: boolean } = {}): Promise<number> {
  const jobs = await ctx.db.$queryRaw<{ id: string }[]>`
    SELECT j.id FROM jobs j WHERE j.status = 'active' AND NOT EXISTS (SELECT 1 FROM training_runs r WHERE r.job_id = j.id)`;
  let started = 0;
  for (const { id } of jobs) {
    const job = await ctx.db.job.findUniqueOrThrow({ where: { id } });
    const spec = specOf(job);
    // An inference job runs the registry model's weights (written as a flat blob when the job was created).
    const w0 = isInferenceSpec(spec) ? { sha256: spec.inference.weightsSha256 } : await ctx.store.put(encodeFloat32(initialWeights(spec)));
    const priority = priorityOf(spec, BigInt(job.workUnits.toFixed()));
    await ctx.db.$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO training_runs (job_id, status, round, priority) VALUES (${id}::uuid, 'training', 0, ${priority.toString()}::numeric)
        ON CONFLICT (job_id) DO NOTHING`;
      if (inserted === 0) return;
      await createRound(tx, { id, spec }, 0, w0.sha256, null, priority, opts);
      started++;
    }, { timeout: 30_000 });
  }
  return started;
}
