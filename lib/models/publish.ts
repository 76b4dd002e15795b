import "server-only";
import type { BlobStore } from "@/lib/blobs";
import type { PrismaClient } from "@/lib/db";
import { syncJobsWithChain } from "@/lib/jobs";
import { specOf, type TrainingSpec } from "@/lib/protocol";
import { jobModel, jobProofRoot } from "@/lib/scheduler";
import { architectureOf, modelConfigSchema, parametersOf, type ModelConfig } from "./config";
import type { JobLineage } from "./schemas";

export type ModelsCtx = { db: PrismaClient; store: BlobStore; chainId: number };

/** The built-in MNIST's pixels are grey levels in [0, 1] (lib/datasets/builtin.ts), 28 × 28. */
const MNIST_IMAGE = { width: 28, height: 28, maxValue: 1 };

/** A job's registry config: its spec's model, plus its dataset's column and class names and its normalisation. */
export function configOfJob(spec: TrainingSpec, dataset: { source: string; name: string; featureNames: unknown; classNames: unknown }): ModelConfig {
  const m = spec.model;
  if (m.kind === "gpt") {
    return modelConfigSchema.parse({ kind: "gpt", layers: m.layers, heads: m.heads, dim: m.dim, context: m.context, vocab: m.vocab, tied: true, vocabulary: spec.dataset.vocabulary });
  }
  const image = dataset.source === "builtin" && dataset.name === "mnist" ? MNIST_IMAGE : undefined;
  const names = (v: unknown, n: number) => (Array.isArray(v) && v.length === n && v.every((x) => typeof x === "string") ? (v as string[]) : undefined);
  return modelConfigSchema.parse({
    kind: "mlp",
    layers: m.layers,
    activation: m.activation,
    // An image's 784 pixel names say nothing a canvas does not.
    features: image ? undefined : names(dataset.featureNames, m.layers[0]!),
    classes: names(dataset.classNames, m.layers[m.layers.length - 1]!),
    image,
    // `|| 1` as workers apply it (lib/protocol normalisedShard): only specs older than the rule hold a 0.
    normalisation: spec.dataset.mean.length ? { mean: spec.dataset.mean, std: spec.dataset.std.map((s) => s || 1) } : undefined,
  });
}

async function proofRootOf(ctx: ModelsCtx, jobId: string, specHash: string): Promise<string> {
  const root = await jobProofRoot(ctx.db, jobId, specHash);
  if (!root) throw new Error(`job ${jobId}: its proof chain has a round that is not aggregated, so it has no proof root`);
  return root;
}

/** Publishes one completed job's final weights (the bytes of GET /api/jobs/{id}/model); a second call is a no-op. */
async function publishJob(ctx: ModelsCtx, jobId: string): Promise<void> {
  const job = await ctx.db.job.findUniqueOrThrow({ where: { id: jobId }, include: { dataset: true } });
  const run = await ctx.db.trainingRun.findUniqueOrThrow({ where: { jobId } });
  const rounds = await ctx.db.round.findMany({ where: { jobId, status: "aggregated" }, orderBy: { round: "desc" }, take: 1 });
  const total = await ctx.db.round.count({ where: { jobId, status: "aggregated" } });
  const spec = specOf(job);
  const config = configOfJob(spec, job.dataset);
  const bytes = await jobModel(ctx, jobId);
  const { sha256, size } = await ctx.store.put(bytes);
  const last = rounds[0];
  const lineage: JobLineage = {
    kind: "job", jobId, specHash: job.specHash, dataset: job.dataset.name, creator: job.creator, taskId: job.taskId?.toString() ?? null, completeTx: run.completeTx,
    proofRoot: await proofRootOf(ctx, jobId, job.specHash),
    metrics: { trainLoss: last?.trainLoss ?? null, heldOutLoss: last?.heldOutLoss ?? null, heldOutAccuracy: last?.heldOutAccuracy ?? null, rounds: total },
  };
  // Unique on job_id: when two instances publish at once one row wins; the blob is the same bytes either way.
  await ctx.db.model.createMany({
    data: [{ source: "job", kind: config.kind, name: `${job.dataset.name} · ${architectureOf(config)}`, config, parameters: parametersOf(config), sizeBytes: BigInt(size), sha256, jobId, owner: job.creator.toLowerCase(), lineage }],
    skipDuplicates: true,
  });
}

/**
 * Every completed job whose final weights are not in the registry yet gets its model row (idempotent).
 * Run at the start of every registry read, as job status is synced on every jobs read: no extra process,
 * and a job is listed from the first read after the chain shows it completed.
 */
export async function publishCompletedJobs(ctx: ModelsCtx): Promise<number> {
  await syncJobsWithChain(ctx.db);
  const due = await ctx.db.$queryRaw<{ id: string }[]>`
    SELECT j.id::text AS id FROM jobs j JOIN training_runs r ON r.job_id = j.id
    WHERE j.status = 'completed' AND r.final_weights_sha256 IS NOT NULL
      AND coalesce(j.spec->>'kind', 'training') <> 'inference'
      AND NOT EXISTS (SELECT 1 FROM models m WHERE m.job_id = j.id)
    ORDER BY j.finished_at NULLS LAST, j.id`;
  let published = 0;
  for (const { id } of due) {
    // One job that cannot be published (a blob gone missing) must not keep the others out of the registry.
    await publishJob(ctx, id).then(
      () => published++,
      (e: unknown) => console.error(`model registry: job ${id} not published:`, e),
    );
  }
  return published;
}
