import "server-only";
import { Prisma } from "@/lib/db";
import { ApiError, notFound } from "@/lib/api";
import type { BlobStore } from "@/lib/blobs";
import type { PrismaClient } from "@/lib/db";
import { expireJobs } from "./expiry";
import { getJob, jobDetail, syncJobsWithChain } from "./service";
import { specHashOf, type Json } from "./spec";

type Ctx = { db: PrismaClient; store: BlobStore };

/**
 * The job, when `caller` created it and it still waits for its chain task (no task mirrored for its
 * spec hash): only then may it be re-priced or discarded. 404 for a missing job, 403 for someone
 * else's, 409 once it has a task (cancel it on chain instead).
 */
async function stuckJobOf(db: PrismaClient, id: string, caller: string) {
  await syncJobsWithChain(db);
  const job = await db.job.findUnique({ where: { id } });
  if (!job) throw notFound(`job ${id}`);
  if (job.creator !== caller.toLowerCase()) throw new ApiError(403, "forbidden", "only the job's creator may change it");
  const mirrored = await db.task.count({ where: { chainId: job.chainId, specHash: job.specHash } });
  if (job.status !== "awaiting_chain" || job.taskId !== null || mirrored > 0) {
    throw new ApiError(409, "conflict", `job ${id} is ${job.status}${mirrored ? " with a task on chain" : ""}: only a job still awaiting its chain task can be re-priced or discarded`);
  }
  return job;
}

/**
 * Re-prices a job stuck before its chain task: the fee is part of the spec, so the spec hash changes
 * with it and a createTask for the old price activates nothing (TaskManager tasks match the spec hash,
 * fee included). The update is conditional on the old hash, so two concurrent re-prices cannot both win.
 */
export async function repriceJob(ctx: Ctx, caller: string, id: string, fee: string) {
  const job = await stuckJobOf(ctx.db, id, caller);
  const spec = { ...(job.spec as Record<string, Json>), fee };
  const specHash = specHashOf(spec as Json);
  const updated = await ctx.db.job.updateMany({ where: { id, specHash: job.specHash, status: "awaiting_chain" }, data: { spec: spec as Prisma.InputJsonValue, specHash } });
  if (updated.count !== 1) throw new ApiError(409, "conflict", `job ${id} changed meanwhile: reload it`);
  return getJob(ctx.db, id);
}

/** Discards a job stuck before its chain task: it expires now, and its blobs that nothing else names go. */
export async function discardJob(ctx: Ctx, caller: string, id: string) {
  await stuckJobOf(ctx.db, id, caller);
  const report = await expireJobs(ctx, new Date(), Prisma.sql`id = ${id}::uuid`);
  if (report.expired.length !== 1) throw new ApiError(409, "conflict", `job ${id} changed meanwhile: reload it`);
  const row = await ctx.db.job.findUniqueOrThrow({ where: { id }, include: { dataset: { select: { name: true } } } });
  return jobDetail(row);
}
