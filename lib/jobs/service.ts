import "server-only";
import { randomBytes } from "node:crypto";
import { ApiError, notFound } from "@/lib/api";
import type { BlobStore } from "@/lib/blobs";
import { GPT_LIMITS, validateGptSpec, type GptSpec } from "@/lib/compute";
import { MAX_SHARD_ROWS } from "@/lib/compute";
import {
  builtinNames,
  builtinNormalisation,
  createTokenizer,
  encodeTable,
  encodeTokenShard,
  HELD_OUT_FRACTION,
  isTextDataset,
  loadCorpus,
  loadTable,
  normalisationOf,
  providerTerms,
  resolveDataset,
  shardWindows,
  splitTable,
  windowsOf,
  type BuiltinName,
} from "@/lib/datasets";
import type { Prisma, PrismaClient } from "@/lib/db";
import { ADAMW } from "@/lib/protocol";
import { createInferenceJob } from "./inference";
import type { CreateInferenceJob, CreateJob, jobStatuses } from "./schemas";
import { tableSplitKey, tokenSplitKey, withSplitBlobs, type BlobRef, type SplitSource } from "./shards";
import { canonicalSpecJson, specHashOf, type Json } from "./spec";
import { gptJobWorkUnits, jobWorkUnits, suggestedFee } from "./work";

type JobRow = Awaited<ReturnType<PrismaClient["job"]["findUniqueOrThrow"]>> & { dataset?: { name: string } };

export const SPEC_VERSION = 1;

export function jobSummary(j: JobRow & { dataset: { name: string } }) {
  return {
    id: j.id,
    status: j.status as (typeof jobStatuses)[number],
    specHash: j.specHash,
    creator: j.creator,
    datasetName: j.dataset.name,
    fragmentCount: j.fragmentCount,
    workUnits: j.workUnits.toFixed(),
    suggestedFee: j.suggestedFee.toFixed(),
    taskId: j.taskId === null ? null : j.taskId.toString(),
    createdAt: j.createdAt.toISOString(),
    activatedAt: j.activatedAt?.toISOString() ?? null,
  };
}

export function jobDetail(j: JobRow & { dataset: { name: string } }) {
  const spec = j.spec as { fee: string; minTier: number; dataset?: { provider?: string; feeBps?: number } };
  const provider = providerOf(spec);
  return {
    ...jobSummary(j),
    spec: j.spec as Record<string, unknown>,
    canonicalSpec: canonicalSpecJson(j.spec as Json),
    createTask: {
      specHash: j.specHash as `0x${string}`, fragmentCount: j.fragmentCount, fee: spec.fee, minTier: spec.minTier,
      provider: provider.address as `0x${string}`, providerFeeBps: provider.feeBps,
    },
  };
}

const NO_PROVIDER = "0x0000000000000000000000000000000000000000";

/** The dataset provider and its share the spec names (`spec.dataset.provider` / `feeBps`): what createTask must carry. */
export function providerOf(spec: { dataset?: { provider?: string; feeBps?: number } }): { address: string; feeBps: number } {
  const address = spec.dataset?.provider?.toLowerCase() ?? NO_PROVIDER;
  return address === NO_PROVIDER ? { address, feeBps: 0 } : { address, feeBps: spec.dataset?.feeBps ?? 0 };
}

/** Unless the job asks for one: built-ins declare theirs (MNIST: pixels, "global"); uploaded CSVs default to tabular, "per-feature". */
function normalisationKindOf(dataset: { source: string; name: string }) {
  return dataset.source === "builtin" && (builtinNames as readonly string[]).includes(dataset.name) ? builtinNormalisation[dataset.name as BuiltinName] : "per-feature";
}

/**
 * Creates a job awaiting its on-chain task: resolves the dataset, splits it by the job's seed into
 * S shards and a held-out split (blobs), and fixes the canonical spec — which names every shard's
 * hash, so the on-chain spec hash commits to the exact training data.
 */
export async function createJob(ctx: { db: PrismaClient; store: BlobStore; chainId: number }, creator: string, input: CreateJob | CreateInferenceJob) {
  if (input.kind === "inference") return createInferenceJob(ctx, creator, input);
  const dataset = await resolveDataset(ctx.db, ctx.store, input.dataset, creator);
  if (input.model.kind === "gpt") return createGptJob(ctx, creator, input, input.model, dataset);
  if (isTextDataset(dataset)) {
    throw new ApiError(400, "validation_failed", `dataset: "${input.dataset}" is a text dataset: train a language model on it (model.kind "gpt")`, [{ path: "dataset", message: "a text dataset needs model.kind \"gpt\"" }]);
  }
  const h = input.hyper;
  const trainRows = dataset.heldOutRows ? dataset.rows - dataset.heldOutRows : dataset.rows - Math.round(dataset.rows * HELD_OUT_FRACTION);
  if (h.shards > trainRows) {
    throw new ApiError(400, "validation_failed", `hyper.shards: ${h.shards} shards for ${trainRows} training rows; every shard needs a row`, [{ path: "hyper.shards", message: `at most ${trainRows}` }]);
  }
  const split: SplitSource = {
    key: tableSplitKey(dataset.sha256, dataset.heldOutRows, h),
    async cut() {
      const s = splitTable(await loadTable(ctx.store, dataset.sha256), { seed: h.seed, shards: h.shards, fixedHeldOutRows: dataset.heldOutRows });
      return { shards: s.shards.map((t) => ({ bytes: encodeTable(t), rows: t.rows })), heldOut: { bytes: encodeTable(s.heldOut), rows: s.heldOut.rows } };
    },
  };
  const model = input.model;
  const layers = [dataset.features, ...model.hidden, dataset.classes];
  return withSplitBlobs(ctx, split, (tx, { shards, heldOut }) => {
    const spec = jobSpec(ctx.chainId, input, {
      dataset: {
        name: dataset.name,
        sha256: dataset.sha256,
        rows: dataset.rows,
        features: dataset.features,
        classes: dataset.classes,
        // The exact mean/std every worker, the referee and verify-proof normalise with (lib/datasets/normalisation.ts).
        ...normalisationOf(input.normalisation ?? normalisationKindOf(dataset), { mean: dataset.mean as number[], std: dataset.std as number[] }),
        // A published dataset's provider and fee share (issue 24): part of the spec hash, read by createTask.
        ...providerTerms(dataset),
      },
      shards,
      heldOut,
      model: { kind: model.kind, layers, activation: model.activation },
      hyper: h,
    });
    return insertJob(tx, { chainId: ctx.chainId, creator, input, splitKey: split.key }, spec, jobWorkUnits(layers, h), dataset.id);
  });
}

type DatasetRow = Awaited<ReturnType<typeof resolveDataset>>;

/** Rows the validation of a language model evaluates after every round: the first this many windows of the validation stream. */
export const MAX_VALIDATION_WINDOWS = 512;

export const badField = (path: string, message: string) => new ApiError(400, "validation_failed", `${path}: ${message}`, [{ path, message }]);

/**
 * A language-model job on a text dataset: the dataset's training stream (its vocabulary's token ids)
 * is cut into windows of context + 1 tokens (stride context, lib/datasets/text/windows.ts), the windows
 * dealt into S shards by the job's seed, each a CXTK token-shard blob; the validation stream's first
 * MAX_VALIDATION_WINDOWS windows are the held-out blob. The spec stores the vocabulary and the inner
 * optimizer (AdamW), so the spec hash commits to both.
 */
async function createGptJob(ctx: { db: PrismaClient; store: BlobStore; chainId: number }, creator: string, input: CreateJob, m: Extract<CreateJob["model"], { kind: "gpt" }>, dataset: DatasetRow) {
  if (!isTextDataset(dataset)) throw badField("dataset", `"${input.dataset}" is a table: a language model trains on a text dataset (names, brown or an uploaded .txt)`);
  const h = input.hyper;
  const corpus = await loadCorpus(ctx.store, dataset.sha256);
  const vocab = corpus.vocabulary.length;
  const model: GptSpec = { kind: "gpt", layers: m.layers, heads: m.heads, dim: m.dim, context: m.context, vocab, tied: true };
  try {
    validateGptSpec(model);
  } catch (e) {
    const msg = (e as Error).message;
    const field = /^gpt (layers|heads|dim|context)\b/.exec(msg)?.[1];
    throw badField(field ? `model.${field}` : "model", msg.replace(/^gpt /, "") + (field ? "" : ` (limit ${GPT_LIMITS.parameters.toLocaleString("en")} parameters; vocabulary ${vocab})`));
  }
  const tok = createTokenizer(corpus.vocabulary);
  const train = windowsOf(tok.encode(corpus.train), m.context);
  const validation = windowsOf(tok.encode(corpus.validation), m.context);
  if (h.shards > train.rows) throw badField("hyper.shards", `${h.shards} shards for ${train.rows} training windows of ${m.context + 1} tokens; every shard needs a window`);
  if (Math.ceil(train.rows / h.shards) > MAX_SHARD_ROWS) throw badField("hyper.shards", `a shard would hold ${Math.ceil(train.rows / h.shards)} windows, over ${MAX_SHARD_ROWS}: use more shards`);
  if (validation.rows < 1) throw badField("model.context", `the validation split is shorter than one window of ${m.context + 1} tokens`);
  const held = { ...validation, rows: Math.min(validation.rows, MAX_VALIDATION_WINDOWS), tokens: validation.tokens.subarray(0, Math.min(validation.rows, MAX_VALIDATION_WINDOWS) * validation.width) };
  const split: SplitSource = {
    key: tokenSplitKey(dataset.sha256, m.context, MAX_VALIDATION_WINDOWS, h),
    cut: () => ({
      shards: shardWindows(train, { seed: h.seed, shards: h.shards }).map((s) => ({ bytes: encodeTokenShard(s, vocab), rows: s.rows })),
      heldOut: { bytes: encodeTokenShard(held, vocab), rows: held.rows },
    }),
  };
  return withSplitBlobs(ctx, split, (tx, { shards, heldOut }) => {
    const spec = jobSpec(ctx.chainId, input, {
      dataset: {
        name: dataset.name,
        sha256: dataset.sha256,
        rows: train.rows + validation.rows,
        features: m.context + 1,
        classes: vocab,
        mean: [],
        std: [],
        vocabulary: corpus.vocabulary,
        ...providerTerms(dataset),
      },
      shards,
      heldOut,
      model,
      hyper: { ...h, innerOptimizer: ADAMW },
    });
    return insertJob(tx, { chainId: ctx.chainId, creator, input, splitKey: split.key }, spec, gptJobWorkUnits(model, h), dataset.id);
  });
}

type Market = Pick<CreateJob, "redundancy" | "spotCheckRate" | "minTier" | "fee">;

/** A job spec: its dataset, shards, model and hyper-parameters, and what every kind of job adds to them. */
export function jobSpec<Core extends { [k: string]: Json }>(chainId: number, input: Market, core: Core) {
  return {
    version: SPEC_VERSION,
    chainId,
    ...core,
    redundancy: input.redundancy,
    spotCheckRate: input.spotCheckRate,
    minTier: input.minTier,
    fee: input.fee,
    // Two otherwise identical jobs must not share a spec hash, or one task would activate both.
    salt: `0x${randomBytes(16).toString("hex")}`,
  } satisfies Json;
}

type NewJob = { chainId: number; creator: string; input: Market; splitKey: string };
type JobSpec = Json & { hyper: { rounds: number; shards: number }; shards: BlobRef[]; heldOut: BlobRef };

export async function insertJob(tx: Prisma.TransactionClient, job: NewJob, spec: JobSpec, work: bigint, datasetId: string) {
  const { creator, input, chainId } = job;
  const { hyper: h, shards, heldOut } = spec;
  const specHash = specHashOf(spec);
  const row = await tx.job.create({
    data: {
      creator: creator.toLowerCase(),
      status: "awaiting_chain",
      chainId,
      specHash,
      spec,
      fragmentCount: h.rounds * h.shards,
      workUnits: work.toString(),
      suggestedFee: suggestedFee(work, input.redundancy).toString(),
      datasetId,
      shards: shards.map((s) => s.sha256),
      heldOutSha256: heldOut.sha256,
      splitKey: job.splitKey,
    },
    include: { dataset: { select: { name: true } } },
  });
  return jobDetail(row);
}

/**
 * Moves jobs along with the chain mirror, in one statement each (any instance may run it; the
 * updates are idempotent):
 *  - awaiting_chain → active when a mirrored TaskManager task has the job's spec hash, was created
 *    by the job's creator, and has the job's fragment count (R × S), min tier, fee, and the dataset
 *    provider and share the spec names (`spec.dataset.provider` / `feeBps`; none: zero address and 0);
 *  - active → completed | cancelled when that task is, and active → cancelled as soon as its creator
 *    requested the cancellation (training stops; lib/epochs settleCancelledJobs pays accepted work);
 *    cancelled → completed if the coordinator completed the task instead (allowed while a cancel is pending);
 *  - active → awaiting_chain if a reorg removed the task from the mirror.
 */
export async function syncJobsWithChain(db: PrismaClient): Promise<void> {
  await db.$executeRaw`
    UPDATE jobs j SET status = 'active', task_id = m.task_id, activated_at = now()
    FROM (
      SELECT j2.id, min(t.task_id) AS task_id FROM jobs j2
      JOIN tasks t ON t.chain_id = j2.chain_id AND t.spec_hash = j2.spec_hash AND t.creator = j2.creator
        AND t.fragment_count = j2.fragment_count AND t.min_tier = (j2.spec->>'minTier')::int AND t.fee = (j2.spec->>'fee')::numeric
        AND coalesce(t.provider, '0x0000000000000000000000000000000000000000') = coalesce(nullif(lower(j2.spec->'dataset'->>'provider'), '0x0000000000000000000000000000000000000000'), '0x0000000000000000000000000000000000000000')
        AND t.provider_fee_bps = CASE WHEN coalesce(nullif(lower(j2.spec->'dataset'->>'provider'), '0x0000000000000000000000000000000000000000'), '') = '' THEN 0 ELSE coalesce((j2.spec->'dataset'->>'feeBps')::int, 0) END
      WHERE j2.status = 'awaiting_chain'
      GROUP BY j2.id
    ) m
    WHERE j.id = m.id AND j.status = 'awaiting_chain'`;
  await db.$executeRaw`
    UPDATE jobs j SET status = CASE WHEN t.status = 'completed' THEN 'completed' ELSE 'cancelled' END, finished_at = coalesce(j.finished_at, now())
    FROM tasks t
    WHERE t.chain_id = j.chain_id AND t.task_id = j.task_id
      AND ((j.status = 'active' AND (t.status IN ('completed', 'cancelled') OR t.cancel_reclaimable_at IS NOT NULL))
        OR (j.status = 'cancelled' AND t.status = 'completed'))`;
  await db.$executeRaw`
    UPDATE jobs j SET status = 'awaiting_chain', task_id = NULL, activated_at = NULL
    WHERE j.status = 'active' AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.chain_id = j.chain_id AND t.task_id = j.task_id)`;
}

export async function listJobs(db: PrismaClient, filter: { creator?: string; status?: string } = {}) {
  await syncJobsWithChain(db);
  const rows = await db.job.findMany({
    where: { creator: filter.creator?.toLowerCase(), status: filter.status },
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { dataset: { select: { name: true } } },
  });
  return rows.map(jobSummary);
}

export async function getJob(db: PrismaClient, id: string) {
  await syncJobsWithChain(db);
  const row = await db.job.findUnique({ where: { id }, include: { dataset: { select: { name: true } } } });
  if (!row) throw notFound(`no job ${id}`);
  return jobDetail(row);
}

/** Admin: marks a job that is not finished as failed (the coordinator's verdict; the chain task is untouched). */
export async function failJob(db: PrismaClient, id: string) {
  const res = await db.job.updateMany({ where: { id, status: { in: ["awaiting_chain", "active"] } }, data: { status: "failed", finishedAt: new Date() } });
  if (res.count === 0) {
    const row = await db.job.findUnique({ where: { id } });
    if (!row) throw notFound(`no job ${id}`);
    throw new ApiError(409, "conflict", `job ${id} is already ${row.status}`);
  }
  return getJob(db, id);
}
