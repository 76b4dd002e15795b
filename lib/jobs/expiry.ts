import "server-only";
import type { BlobStore } from "@/lib/blobs";
import { Prisma, type PrismaClient } from "@/lib/db";
import { syncJobsWithChain } from "./service";
import { BLOB_LOCK_CLASS } from "./shards";

export type ExpiryReport = { expired: string[]; deletedBlobs: string[] };

/**
 * An inference job that no longer needs its flat weights blob: completed, failed or expired, or cancelled
 * with no result still waiting for the referee (which would read the weights). SQL over a `jobs` row `j`.
 */
const inferenceEnded = (j: Prisma.Sql) => Prisma.sql`(${j}.spec->>'kind' = 'inference' AND (${j}.status IN ('completed', 'failed', 'expired')
  OR (${j}.status = 'cancelled' AND NOT EXISTS (SELECT 1 FROM fragment_results x JOIN fragments f ON f.id = x.fragment_id WHERE f.job_id = ${j}.id AND x.status = 'pending'))))`;

/**
 * No one needs blob `s` any more (SQL over a text expression): no job that is not expired names it as a
 * shard or held-out split, no dataset or model is it, no inference job still running names it as its
 * weights, no training run ends with it (a model published from a job has the same bytes as its final
 * W) and no round of a training job, or of an inference job still running, reads or writes it.
 */
const unnamed = (s: Prisma.Sql) => Prisma.sql`
  NOT EXISTS (SELECT 1 FROM jobs j WHERE j.status <> 'expired' AND (j.held_out_sha256 = ${s} OR j.shards @> jsonb_build_array(${s})))
  AND NOT EXISTS (SELECT 1 FROM datasets d WHERE d.sha256 = ${s})
  AND NOT EXISTS (SELECT 1 FROM models m WHERE m.sha256 = ${s})
  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.spec->'inference'->>'weightsSha256' = ${s} AND NOT ${inferenceEnded(Prisma.sql`j`)})
  AND NOT EXISTS (SELECT 1 FROM training_runs t WHERE t.final_weights_sha256 = ${s})
  AND NOT EXISTS (
    SELECT 1 FROM rounds r JOIN jobs j ON j.id = r.job_id
    WHERE ${s} IN (r.weights_sha256, r.next_weights_sha256, r.optimizer_state_sha256, r.next_optimizer_state_sha256)
      AND NOT ${inferenceEnded(Prisma.sql`j`)})`;

/**
 * Expires jobs that got no on-chain task within `ttlMs` of their creation and deletes their blobs
 * that nothing else names. A job expires only while it is awaiting_chain with no task (after
 * following the chain mirror: a task that arrived activates it instead), no mirrored task carries
 * its spec hash, and it never started training (a reorged-out task leaves a run behind). Its status
 * becomes `expired`; a late createTask for its spec hash activates nothing.
 *
 * A blob is deleted only when no job that is not expired and no dataset names it: shards shared
 * with a live job (the same dataset and split, lib/jobs/shards.ts) stay. Fragments and rounds name
 * shards only of jobs that started, which never expire. Everything happens in one transaction under
 * the exclusive blob lock (job creation holds it shared while it writes and names blobs), and the
 * status changes only when it commits, so a failed delete leaves the job to the next pass.
 */
export async function expireStaleJobs(ctx: { db: PrismaClient; store: BlobStore }, opts: { ttlMs: number; now?: Date; limit?: number }): Promise<ExpiryReport> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - opts.ttlMs);
  const due = () => ctx.db.job.count({ where: { status: "awaiting_chain", taskId: null, createdAt: { lt: cutoff } } });
  // The cheap check first: most passes find nothing and take no lock.
  if ((await due()) === 0) return { expired: [], deletedBlobs: [] };
  await syncJobsWithChain(ctx.db);
  return expireJobs(ctx, now, Prisma.sql`created_at < ${cutoff} ORDER BY created_at LIMIT ${opts.limit ?? 100}::int`);
}

/**
 * Expires the awaiting-chain jobs `which` selects (a WHERE tail over jobs, after status and task
 * checks) and deletes their blobs that nothing else names: the expiry pass above, and a creator
 * discarding a job stuck before its chain task (lib/jobs/manage.ts).
 */
export async function expireJobs(ctx: { db: PrismaClient; store: BlobStore }, now: Date, which: Prisma.Sql): Promise<ExpiryReport> {
  return ctx.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BLOB_LOCK_CLASS}::int, 0)`;
      const expired = await tx.$queryRaw<{ id: string; shards: string[]; held_out_sha256: string; weights: string | null }[]>`
        UPDATE jobs j SET status = 'expired', finished_at = ${now}
        WHERE j.id IN (
          SELECT id FROM jobs WHERE status = 'awaiting_chain' AND task_id IS NULL AND ${which}
        )
          AND j.status = 'awaiting_chain'
          AND NOT EXISTS (SELECT 1 FROM training_runs r WHERE r.job_id = j.id)
          AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.chain_id = j.chain_id AND t.spec_hash = j.spec_hash)
        RETURNING j.id::text AS id, j.shards, j.held_out_sha256, j.spec->'inference'->>'weightsSha256' AS weights`;
      if (expired.length === 0) return { expired: [], deletedBlobs: [] };
      const named = [...new Set(expired.flatMap((j) => [...j.shards, j.held_out_sha256, ...(j.weights ? [j.weights] : [])]))];
      const orphans = await tx.$queryRaw<{ sha: string }[]>`
        SELECT s AS sha FROM unnest(${named}::text[]) AS s WHERE ${unnamed(Prisma.sql`s`)} ORDER BY s`;
      for (const { sha } of orphans) await ctx.store.delete(sha);
      return { expired: expired.map((j) => j.id), deletedBlobs: orphans.map((o) => o.sha) };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * Deletes the flat weights blobs (lib/jobs/inference.ts writes one per model, shared by its jobs) that only
 * ended inference jobs name (`unnamed` above), once per coordinator pass. The candidates — one per model an
 * ended job ran — are checked against the store first, without a lock, so a pass with nothing to delete
 * takes none; deleting happens under the exclusive blob lock, which job creation holds shared while it
 * writes a weights blob and names it.
 */
export async function collectInferenceWeights(ctx: { db: PrismaClient; store: BlobStore }): Promise<string[]> {
  const candidates = await ctx.db.$queryRaw<{ sha: string }[]>`
    SELECT DISTINCT j.spec->'inference'->>'weightsSha256' AS sha FROM jobs j
    WHERE j.spec->>'kind' = 'inference' AND j.status IN ('completed', 'cancelled', 'failed', 'expired')`;
  const present: string[] = [];
  for (const { sha } of candidates) if (sha && (await ctx.store.has(sha))) present.push(sha);
  if (present.length === 0) return [];
  return ctx.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BLOB_LOCK_CLASS}::int, 0)`;
      const orphans = await tx.$queryRaw<{ sha: string }[]>`SELECT s AS sha FROM unnest(${present}::text[]) AS s WHERE ${unnamed(Prisma.sql`s`)} ORDER BY s`;
      for (const { sha } of orphans) await ctx.store.delete(sha);
      return orphans.map((o) => o.sha);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
