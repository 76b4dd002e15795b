import "server-only";
import { createPublicClient, createWalletClient, http, TransactionNotFoundError, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { evaluate, evaluateGptWasm, outerStep, sampleGpt } from "@/lib/compute";
import { loadDeployment } from "@/lib/chain";
import { sendTx, type TxSigner } from "@/lib/chain";
import { getBlob, type SchedulerCtx } from "./context";
import { decodeFloat32, encodeFloat32, gptOf, isInferenceSpec, mlpOf, normalisedShard, specOf, tokenShard, type InferenceSpec, type TrainingSpec } from "@/lib/protocol";
import type { Prisma } from "@/lib/db";
import { assembleOutputs } from "./outputs";
import { createRound } from "./rounds";

/**
 * Aggregates every open round of an active job (a cancelled or failed one trains no further) whose S fragments are all accepted and whose spot checks are settled:
 * W_{r+1} = outerStep(W_r, accepted deltas in shard order, Nesterov(η, μ), velocity_r); the round
 * record keeps hash(W_r), hash(velocity_r), the accepted result hashes, hash(W_{r+1}), hash(velocity_{r+1}),
 * the mean train loss and the held-out loss and accuracy (lib/compute evaluate; for GPT jobs the validation
 * loss in nats per character, see roundMetrics). Then round r+1 starts,
 * or after R rounds the run moves to `completing`. The round row is locked with SKIP LOCKED.
 * A GPT round's samples are generated after its transaction commits (fillRoundSamples): the reference
 * sampler takes about a second at the demo size, and the round row's lock, the job's next round and
 * every claim waiting on it should not wait for text that nothing downstream depends on.
 */
export async function runAggregation(ctx: SchedulerCtx, opts: { lazyReplicas?: boolean } = {}): Promise<number> {
  const ready = await ctx.db.$queryRaw<{ job_id: string; round: number }[]>`
    SELECT r.job_id, r.round FROM rounds r
    WHERE r.status = 'open'
      AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id AND j.status = 'active')
      AND NOT EXISTS (SELECT 1 FROM fragments f WHERE f.job_id = r.job_id AND f.round = r.round AND f.status <> 'accepted')
      AND NOT EXISTS (SELECT 1 FROM replica_slots s JOIN fragments f ON f.id = s.fragment_id
                      WHERE f.job_id = r.job_id AND f.round = r.round AND s.kind = 'verify' AND s.state IN ('open', 'leased'))
      AND NOT EXISTS (SELECT 1 FROM fragment_results x JOIN fragments f ON f.id = x.fragment_id
                      WHERE f.job_id = r.job_id AND f.round = r.round AND x.status = 'pending')`;
  let done = 0;
  for (const { job_id, round } of ready) {
    await ctx.db.$transaction(async (tx) => {
      const lock = await tx.$queryRaw<{ round: number }[]>`
        SELECT round FROM rounds WHERE job_id = ${job_id}::uuid AND round = ${round} AND status = 'open' FOR UPDATE SKIP LOCKED`;
      if (!lock[0]) return;
      const row = await tx.round.findUniqueOrThrow({ where: { jobId_round: { jobId: job_id, round } } });
      const job = await tx.job.findUniqueOrThrow({ where: { id: job_id } });
      const run = await tx.trainingRun.findUniqueOrThrow({ where: { jobId: job_id } });
      const spec = specOf(job);
      const fragments = await tx.fragment.findMany({ where: { jobId: job_id, round }, orderBy: { shard: "asc" } });
      if (isInferenceSpec(spec)) {
        await finishInference(ctx, tx, job_id, spec, fragments);
        done++;
        return;
      }
      const w = decodeFloat32(await getBlob(ctx.store, row.weightsSha256));
      const velocity = row.optimizerStateSha256 ? { velocity: decodeFloat32(await getBlob(ctx.store, row.optimizerStateSha256)) } : undefined;
      const deltas = await Promise.all(fragments.map(async (f) => decodeFloat32(await getBlob(ctx.store, f.acceptedSha256!))));
      const next = outerStep(w, deltas, { lr: spec.hyper.outerLearningRate, momentum: spec.hyper.outerMomentum }, velocity);
      const nextW = await ctx.store.put(encodeFloat32(next.weights));
      const nextV = await ctx.store.put(encodeFloat32(next.state.velocity));
      const ev = await roundMetrics(ctx, spec, next.weights);
      const losses = fragments.map((f) => f.acceptedLoss).filter((l): l is number => l !== null);
      await tx.round.update({
        where: { jobId_round: { jobId: job_id, round } },
        data: {
          status: "aggregated", aggregatedAt: new Date(), acceptedResults: fragments.map((f) => ({ shard: f.shard, fragmentId: f.id, deltaSha256: f.acceptedSha256 })),
          nextWeightsSha256: nextW.sha256, nextOptimizerStateSha256: nextV.sha256,
          trainLoss: losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : null, heldOutLoss: ev.loss, heldOutAccuracy: ev.accuracy,
        },
      });
      if (round + 1 < spec.hyper.rounds) {
        await tx.trainingRun.update({ where: { jobId: job_id }, data: { round: round + 1 } });
        await createRound(tx, { id: job_id, spec }, round + 1, nextW.sha256, nextV.sha256, BigInt(run.priority.toFixed()), opts);
      } else {
        await tx.trainingRun.update({ where: { jobId: job_id }, data: { round: round + 1, status: "completing", finalWeightsSha256: nextW.sha256 } });
      }
      done++;
    }, { timeout: 120_000 });
  }
  // Also the rounds an earlier pass committed but did not sample (a crash, a restart, another instance's).
  await fillRoundSamples(ctx);
  return done;
}

/**
 * Samples for every aggregated GPT round that has none yet (oldest first, at most `limit` a call):
 * sampleGpt on the round's W_{r+1} with seed sampleSeed(job seed, r), as roundSamples defines them. Runs
 * outside any transaction; the update only fills a round still without samples, so two coordinators
 * racing on one round write the same seeded texts once. Returns how many rounds it filled.
 */
export async function fillRoundSamples(ctx: Pick<SchedulerCtx, "db" | "store">, { limit = 20 }: { limit?: number } = {}): Promise<number> {
  const due = await ctx.db.$queryRaw<{ job_id: string; round: number; next: string }[]>`
    SELECT r.job_id::text AS job_id, r.round, r.next_weights_sha256 AS next FROM rounds r JOIN jobs j ON j.id = r.job_id
    WHERE r.status = 'aggregated' AND r.samples IS NULL AND r.next_weights_sha256 IS NOT NULL AND j.spec->'model'->>'kind' = 'gpt'
    ORDER BY r.aggregated_at NULLS FIRST, r.job_id, r.round LIMIT ${limit}`;
  let filled = 0;
  for (const d of due) {
    const job = await ctx.db.job.findUniqueOrThrow({ where: { id: d.job_id } });
    const spec = specOf(job);
    if (isInferenceSpec(spec)) continue;
    const samples = roundSamples(spec, d.round, decodeFloat32(await getBlob(ctx.store, d.next)));
    if (!samples) continue;
    filled += await ctx.db.$executeRaw`
      UPDATE rounds SET samples = ${JSON.stringify(samples)}::jsonb WHERE job_id = ${d.job_id}::uuid AND round = ${d.round} AND samples IS NULL`;
  }
  return filled;
}

/**
 * An inference job's only round, every fragment accepted and spot checks settled: nothing to aggregate.
 * The output CSV (outputs.ts) is assembled and stored; its sha-256 is the run's result — the hash
 * TaskManager.complete records — and the run moves to `completing`.
 */
async function finishInference(ctx: SchedulerCtx, tx: Prisma.TransactionClient, jobId: string, spec: InferenceSpec, fragments: { id: string; shard: number; acceptedSha256: string | null }[]) {
  const outputs = await ctx.store.put(await assembleOutputs(ctx, spec, fragments));
  await tx.round.update({
    where: { jobId_round: { jobId, round: 0 } },
    data: { status: "aggregated", aggregatedAt: new Date(), acceptedResults: fragments.map((f) => ({ shard: f.shard, fragmentId: f.id, deltaSha256: f.acceptedSha256 })), nextWeightsSha256: outputs.sha256 },
  });
  await tx.trainingRun.update({ where: { jobId }, data: { round: 1, status: "completing", finalWeightsSha256: outputs.sha256 } });
}

/** How many samples a GPT round keeps, and the longest (names are short; a stream sample is one context). */
export const SAMPLE_COUNT = 10;
const SAMPLE_TEMPERATURE = 1;

/** The seed of round r's samples: the job seed and the round, so anyone can regenerate them from W_{r+1}. */
export const sampleSeed = (jobSeed: number, round: number): number => (Math.imul(jobSeed >>> 0, 0x9e3779b1) ^ (round + 1)) >>> 0;

/**
 * Metrics of W_{r+1}, computed inside the aggregation transaction. MLP: held-out loss and accuracy
 * (evaluate). GPT: the validation split's mean next-character cross-entropy (evaluateGpt, nats per
 * character — one token is one character); its samples come after the commit (roundSamples).
 */
export async function roundMetrics(ctx: Pick<SchedulerCtx, "store">, spec: TrainingSpec, weights: Float32Array): Promise<{ loss: number; accuracy: number | null }> {
  const held = await getBlob(ctx.store, spec.heldOut.sha256);
  if (spec.model.kind === "gpt") {
    const model = gptOf(spec);
    // evaluateGptWasm equals the reference evaluateGpt exactly (the same logits and float64 sum), ≈25× faster.
    const ev = await evaluateGptWasm(model, weights, tokenShard(held, model).tokens);
    return { loss: ev.loss, accuracy: null };
  }
  const ev = evaluate(mlpOf(spec), weights, normalisedShard(held, spec.dataset.mean, spec.dataset.std));
  return { loss: ev.loss, accuracy: ev.accuracy };
}

export type RoundSamples = { seed: number; temperature: number; texts: string[] };

/**
 * Round r's samples of a GPT job (null for an MLP): SAMPLE_COUNT texts from sampleGpt on W_{r+1} (seed
 * sampleSeed(job seed, r), temperature 1, each started and ended by the boundary token 0), decoded with
 * the spec's vocabulary. A pure function of the spec, the round and the weights: anyone can regenerate them.
 */
export function roundSamples(spec: TrainingSpec, round: number, weights: Float32Array): RoundSamples | null {
  if (spec.model.kind !== "gpt") return null;
  const model = gptOf(spec);
  const seed = sampleSeed(spec.hyper.seed, round);
  const vocabulary = spec.dataset.vocabulary ?? [];
  const ids = sampleGpt(model, weights, { seed, count: SAMPLE_COUNT, maxLength: Math.max(32, model.context), boundaryToken: 0, temperature: SAMPLE_TEMPERATURE });
  return { seed, temperature: SAMPLE_TEMPERATURE, texts: ids.map((s) => s.map((t) => vocabulary[t] ?? "").join("")) };
}

type CompletingRun = { jobId: string; finalWeightsSha256: string | null; completeTx: string | null };
type Completer = { ctx: SchedulerCtx; signer: TxSigner; taskManager: Address };

/** TaskManager.Status: None, Open, Completed, Cancelled. */
const TASK_OPEN = 1;
const TASK_COMPLETED = 2;

/**
 * Sends TaskManager.complete(taskId, finalWeightsHash) for runs in `completing`
 * with the coordinator key (COORDINATOR_PRIVATE_KEY; on chain 31337 anvil's deployer by default),
 * through lib/chain's sender. resultHash = 0x + sha-256 of the final weights blob. The job turns
 * `completed` when the mirror sees it. Returns the transactions of the runs completed in this pass.
 */
export async function completeOnChain(ctx: SchedulerCtx, opts: { rpcUrl: string; privateKey?: Hex; taskManager?: Address }): Promise<string[]> {
  const runs = await ctx.db.trainingRun.findMany({ where: { status: "completing" } });
  if (runs.length === 0) return [];
  const key = opts.privateKey ?? (ctx.chainId === 31337 ? ANVIL_DEPLOYER_KEY : undefined);
  if (!key) throw new Error("COORDINATOR_PRIVATE_KEY is not set: runs cannot be completed on chain");
  const taskManager = opts.taskManager ?? ((await loadDeployment(ctx.chainId))?.contracts.TaskManager?.address as Address | undefined);
  if (!taskManager) throw new Error(`no TaskManager deployment for chain ${ctx.chainId}`);
  const signer: TxSigner = {
    wallet: createWalletClient({ account: privateKeyToAccount(key), transport: http(opts.rpcUrl) }),
    client: createPublicClient({ transport: http(opts.rpcUrl) }) as PublicClient,
  };
  const completed: string[] = [];
  for (const run of runs) {
    const hash = await completeRun({ ctx, signer, taskManager }, run);
    if (hash) completed.push(hash);
  }
  return completed;
}

/**
 * One run, from what the chain says of its task: a completion that landed (its receipt lost, or
 * sent by another instance) is recorded; one still pending is waited for, never sent twice (the
 * second would revert and pay gas); otherwise `complete` is sent, its hash kept as soon as it is out.
 */
async function completeRun({ ctx, signer, taskManager }: Completer, run: CompletingRun): Promise<string | null> {
  const job = await ctx.db.job.findUniqueOrThrow({ where: { id: run.jobId } });
  if (job.taskId === null) return null;
  const task = (await signer.client.readContract({ address: taskManager, abi: taskManagerAbi, functionName: "getTask", args: [job.taskId] })) as { status: number };
  if (task.status === TASK_COMPLETED) {
    const hash = run.completeTx ?? (await completionTxOf(ctx, signer.client, taskManager, job.taskId));
    await markCompleted(ctx, run.jobId, hash);
    return hash;
  }
  // A job cancelled meanwhile is settled by settleCancelledJobs (lib/epochs): `complete` on its
  // settled task would revert on every pass.
  if (task.status !== TASK_OPEN || job.status !== "active") return null;
  if (run.completeTx && (await isPending(signer.client, run.completeTx as Hex))) return null;
  // complete only closes the task: its fee reaches the accepted work through the epoch root (fee
  // leaves, lib/epochs computeFees) and the creator's refund leaf follows the next epoch.
  const { hash } = await sendTx(
    signer,
    { address: taskManager, abi: taskManagerAbi, functionName: "complete", args: [job.taskId, `0x${run.finalWeightsSha256}` as Hex] },
    { onSent: async (h) => void (await ctx.db.trainingRun.update({ where: { jobId: run.jobId }, data: { completeTx: h } })) },
  );
  await markCompleted(ctx, run.jobId, hash);
  return hash;
}

async function markCompleted(ctx: Pick<SchedulerCtx, "db">, jobId: string, completeTx: string | null): Promise<void> {
  await ctx.db.trainingRun.update({ where: { jobId }, data: { status: "completed", completeTx, completedAt: new Date() } });
}

/** Sent and not mined yet (a transaction mined while its task is still open reverted; one unknown was dropped). */
async function isPending(client: PublicClient, hash: Hex): Promise<boolean> {
  const tx = await client.getTransaction({ hash }).catch((e: unknown) => {
    if (e instanceof TransactionNotFoundError) return null;
    throw e;
  });
  return tx !== null && tx.blockNumber === null;
}

/** The transaction that completed a task, from its TaskCompleted event (null when the RPC no longer has it). */
async function completionTxOf(ctx: Pick<SchedulerCtx, "db" | "chainId">, client: PublicClient, taskManager: Address, taskId: bigint): Promise<string | null> {
  // From the task's creation on (the mirror knows it): an RPC may refuse a log range from genesis.
  const created = await ctx.db.task.findUnique({ where: { chainId_taskId: { chainId: ctx.chainId, taskId } } });
  const logs = await client.getContractEvents({ address: taskManager, abi: taskManagerAbi, eventName: "TaskCompleted", args: { taskId }, fromBlock: created?.createdBlock ?? 0n });
  return logs[0]?.transactionHash ?? null;
}

/** anvil's account #0, the dev deployer (public knowledge; only accepted on chain 31337). */
const ANVIL_DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as Hex;
