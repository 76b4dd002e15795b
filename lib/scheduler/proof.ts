import "server-only";
import { notFound } from "@/lib/api";
import type { PrismaClient } from "@/lib/db";
import { getBlob, TOLERANCE, type SchedulerCtx } from "./context";
import { redundancyOverhead } from "./contributions";
import { ADAMW, decodeFloat32, gptOf, specOf, proofRoot, type Proof, type RootRound, isInferenceSpec } from "@/lib/protocol";
import { gptSafetensors, safetensors } from "./safetensors";

async function runOf(db: PrismaClient, jobId: string) {
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job) throw notFound(`no job ${jobId}`);
  const run = await db.trainingRun.findUnique({ where: { jobId } });
  return { job, run };
}

/** GET /api/jobs/{id}/rounds: the loss/accuracy curve (GPT jobs: validation loss in nats per character, and each round's samples). */
export async function jobRounds(db: PrismaClient, jobId: string) {
  await runOf(db, jobId);
  const rounds = await db.round.findMany({ where: { jobId }, orderBy: { round: "asc" } });
  return {
    rounds: rounds.map((r) => ({ round: r.round, status: r.status as "open" | "aggregated", trainLoss: r.trainLoss, heldOutLoss: r.heldOutLoss, heldOutAccuracy: r.heldOutAccuracy, aggregatedAt: r.aggregatedAt?.toISOString() ?? null,
      samples: (r.samples as { texts?: string[] } | null)?.texts ?? null,
    })),
  };
}

/**
 * GET /api/jobs/{id}/proof: the chain of round records and every fragment's inputs and results.
 * `lastRounds` keeps only that many of the newest rounds (the job page, which re-renders every few
 * seconds while a job trains); the API serves the whole chain.
 */
export async function jobProof(db: PrismaClient, jobId: string, { lastRounds }: { lastRounds?: number } = {}): Promise<Proof> {
  const { job, run } = await runOf(db, jobId);
  const spec = specOf(job);
  const rounds = (await db.round.findMany({ where: { jobId }, orderBy: { round: "desc" }, take: lastRounds })).reverse();
  const fromRound = rounds[0]?.round ?? 0;
  const fragments = await db.fragment.findMany({ where: { jobId, round: { gte: fromRound } }, orderBy: [{ round: "asc" }, { shard: "asc" }] });
  const results = await db.fragmentResult.findMany({
    where: fromRound > 0 ? { fragmentId: { in: fragments.map((f) => f.id) } } : { jobId },
    orderBy: [{ submittedAt: "asc" }],
  });
  // Grouped once: filtering the whole fragment and result lists per round and per fragment made a
  // proof quadratic in the job's size (10,000 fragments × 25,000 results is 250 M comparisons).
  const fragmentsOf = groupBy(fragments, (f) => f.round);
  const resultsOf = groupBy(results, (x) => x.fragmentId);
  const root = rounds[0]?.round === 0 ? proofRoot(job.specHash, rounds.map(rootRound)) : await jobProofRoot(db, jobId, job.specHash);
  return {
    jobId, specHash: job.specHash, spec: job.spec as Record<string, unknown>, status: run?.status ?? "not_started",
    tolerance: TOLERANCE, finalWeightsSha256: run?.finalWeightsSha256 ?? null, completeTx: run?.completeTx ?? null,
    proofRoot: root,
    redundancy: await redundancyOverhead(db, jobId),
    rounds: rounds.map((r) => ({
      ...rootRound(r),
      trainLoss: r.trainLoss, heldOutLoss: r.heldOutLoss, heldOutAccuracy: r.heldOutAccuracy,
      // While a round is open its delta hashes stay private: a published hash would let another
      // replica or a spot-checker fetch the blob and submit it as its own work.
      fragments: (fragmentsOf.get(r.round) ?? []).map((f) => {
        const open = r.status !== "aggregated";
        return {
          id: f.id, shard: f.shard, status: f.status, seed: Number(f.seed), weightsSha256: f.weightsSha256, shardSha256: f.shardSha256,
          steps: spec.hyper.localSteps, batch: spec.hyper.batch, lr: spec.hyper.learningRate, workUnits: f.workUnits.toFixed(),
          acceptedSha256: open ? null : f.acceptedSha256, referenceSha256: open ? null : f.referenceSha256,
          results: (resultsOf.get(f.id) ?? []).map((x) => ({
            replica: x.replica, kind: x.kind, nodeId: x.nodeId.toString(), owner: x.owner, signer: x.signer, signature: open ? "" : x.signature,
            deltaSha256: open ? "" : x.deltaSha256, loss: x.loss, status: x.status,
          })),
        };
      }),
    })),
  };
}

type RoundRow = { round: number; status: string; weightsSha256: string; optimizerStateSha256: string | null; acceptedResults: unknown; nextWeightsSha256: string | null; nextOptimizerStateSha256: string | null };

const rootRound = (r: RoundRow): RootRound => ({
  round: r.round, status: r.status, weightsSha256: r.weightsSha256, optimizerStateSha256: r.optimizerStateSha256,
  acceptedResults: (r.acceptedResults as { shard: number; fragmentId: string; deltaSha256: string }[] | null) ?? [],
  nextWeightsSha256: r.nextWeightsSha256, nextOptimizerStateSha256: r.nextOptimizerStateSha256,
});

/**
 * The job's proof root (lib/protocol proofRoot: one hash over the spec hash and every round record of
 * the proof chain), or null while a round is still open. What model cards and the registry name.
 */
export async function jobProofRoot(db: PrismaClient, jobId: string, specHash: string): Promise<string | null> {
  const rounds = await db.round.findMany({
    where: { jobId }, orderBy: { round: "asc" },
    select: { round: true, status: true, weightsSha256: true, optimizerStateSha256: true, acceptedResults: true, nextWeightsSha256: true, nextOptimizerStateSha256: true },
  });
  return proofRoot(specHash, rounds.map(rootRound));
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

async function finalWeights(ctx: SchedulerCtx, jobId: string) {
  const { job, run } = await runOf(ctx.db, jobId);
  if (!run?.finalWeightsSha256) throw notFound(`job ${jobId} has no trained model yet`);
  // An inference job's result is its outputs (GET /api/jobs/{id}/outputs), not weights.
  if (isInferenceSpec(specOf(job))) throw notFound(`job ${jobId} is an inference job: it trains no model (its result: /api/jobs/${jobId}/outputs)`);
  return { job, run, weights: decodeFloat32(await getBlob(ctx.store, run.finalWeightsSha256)) };
}

/**
 * GET /api/jobs/{id}/model: the final weights as safetensors. MLP: layers.{l}.weight [n_in, n_out],
 * layers.{l}.bias [n_out]. GPT: one tensor per slice of the parameter layout (wte, wpe, h{l}.…, lnf.g,
 * lnf.b), with the config and the vocabulary (JSON) in the metadata.
 */
export async function jobModel(ctx: SchedulerCtx, jobId: string): Promise<Uint8Array> {
  const { job, run, weights } = await finalWeights(ctx, jobId);
  const spec = specOf(job);
  const meta = { format: "pt", job: jobId, specHash: job.specHash, weightsSha256: run.finalWeightsSha256! };
  if (spec.model.kind === "gpt") {
    const m = gptOf(spec);
    return gptSafetensors(m, weights, { ...meta, architecture: "gpt2-prenorm-tied", config: JSON.stringify(m), vocabulary: JSON.stringify(spec.dataset.vocabulary ?? []) });
  }
  return safetensors(spec.model.layers, weights, { ...meta, activation: spec.model.activation });
}

/** GET /api/jobs/{id}/model-card. */
export async function jobModelCard(ctx: SchedulerCtx, jobId: string, origin: string) {
  const { job, run } = await runOf(ctx.db, jobId);
  if (!run?.finalWeightsSha256) throw notFound(`job ${jobId} has no trained model yet`);
  const rounds = await ctx.db.round.findMany({ where: { jobId }, orderBy: { round: "asc" } });
  const last = rounds[rounds.length - 1];
  const spec = specOf(job);
  const { model } = spec;
  const architecture =
    model.kind === "gpt"
      ? { ...model, block: "pre-LayerNorm GPT-2: LN → causal multi-head self-attention → residual; LN → MLP 4·dim, GELU (tanh) → residual", head: "final LN → LM head tied to wte", innerOptimizer: spec.hyper.innerOptimizer ?? ADAMW }
      : { ...model, hiddenActivation: model.activation, output: "linear + softmax" };
  return {
    jobId, specHash: job.specHash, spec: job.spec as Record<string, unknown>,
    architecture,
    ...(model.kind === "gpt"
      ? {
          vocabulary: spec.dataset.vocabulary ?? [],
          proofRoot: await jobProofRoot(ctx.db, jobId, job.specHash),
          finalValidationLoss: last?.heldOutLoss ?? null,
          samples: (last?.samples as { texts?: string[] } | null)?.texts ?? [],
        }
      : {}),
    weightsSha256: run.finalWeightsSha256, onChain: { taskId: job.taskId?.toString() ?? null, completeTx: run.completeTx },
    metrics: { heldOutLoss: last?.heldOutLoss ?? null, heldOutAccuracy: last?.heldOutAccuracy ?? null, trainLoss: last?.trainLoss ?? null, rounds: rounds.length },
    links: { model: `${origin}/api/jobs/${jobId}/model`, proof: `${origin}/api/jobs/${jobId}/proof`, verify: `npm run verify-proof -- --api ${origin} --job ${jobId} --all` },
  };
}
