import "server-only";
import { createHash, randomInt } from "node:crypto";
import { ApiError, notFound } from "@/lib/api";
import { authorizeWorker } from "@/lib/auth";
import { pocOps, verifyPocProduct } from "@/lib/compute";
import { recordComputeProof } from "@/lib/epochs";
import type { PrismaClient } from "@/lib/db";
import { decodeProduct } from "@/lib/protocol";
import { POC_TTL_MS, type PocChallengeRequest, type PocChallengeView, type PocOutcome, type PocResult } from "./schemas";

type Ctx = { db: PrismaClient; chainId: number; now?: () => Date };

const clock = (ctx: Ctx) => (ctx.now ? ctx.now() : new Date());

/**
 * The caller, authenticated as the fragments API does (the owner's SIWE session, or an `x-corex-worker`
 * header signed by the owner or a delegated session key): a worker proves capacity with the key it works with.
 */
async function requireActor(ctx: Ctx, request: Request, nodeId: bigint): Promise<string> {
  const node = await ctx.db.node.findUnique({ where: { chainId_nodeId: { chainId: ctx.chainId, nodeId } } });
  if (!node) throw notFound(`node ${nodeId} is not registered on chain ${ctx.chainId}`);
  return (await authorizeWorker(ctx.db, ctx.chainId, request, nodeId, clock(ctx))).signer;
}

/**
 * Issues a challenge for a node the caller owns or holds a session key for. The seed comes from the
 * OS's CSPRNG so a node cannot precompute products for seeds it will be given.
 */
export async function issuePocChallenge(ctx: Ctx, request: Request, req: PocChallengeRequest): Promise<PocChallengeView> {
  const nodeId = BigInt(req.nodeId);
  const caller = await requireActor(ctx, request, nodeId);
  const issuedAt = clock(ctx);
  const row = await ctx.db.pocChallenge.create({
    data: {
      chainId: ctx.chainId,
      nodeId,
      requestedBy: caller.toLowerCase(),
      n: req.n,
      seed: BigInt(randomInt(0, 2 ** 32 - 1)),
      status: "pending",
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + POC_TTL_MS),
    },
  });
  return {
    id: row.id,
    nodeId: row.nodeId.toString(),
    n: row.n,
    seed: Number(row.seed),
    ops: pocOps(row.n),
    issuedAt: row.issuedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    answer: `/api/compute-poc/${row.id}/answer`,
  };
}

const refusals: Record<Exclude<PocOutcome, "passed">, (n: bigint) => ApiError> = {
  wrong_product: (n) => new ApiError(422, "poc_wrong_product", `the product is not A·B for this challenge (Freivalds check failed); recorded against node ${n}`),
  replayed_answer: (n) => new ApiError(409, "poc_replayed_answer", `this product was already sent for another challenge; recorded against node ${n}`),
  already_answered: (n) => new ApiError(409, "poc_already_answered", `this challenge was already answered; ask for a new one (recorded against node ${n})`),
  expired: (n) => new ApiError(410, "poc_expired", `this challenge expired before the answer came; ask for a new one (recorded against node ${n})`),
};

/** The challenge's size, after checking the caller may answer it: the route reads exactly 4n² bytes. */
export async function pocChallengeSize(ctx: Ctx, request: Request, challengeId: string): Promise<number> {
  const ch = await ctx.db.pocChallenge.findUnique({ where: { id: challengeId } });
  if (!ch || ch.chainId !== ctx.chainId) throw notFound(`no Compute-PoC challenge ${challengeId}`);
  await requireActor(ctx, request, ch.nodeId);
  return ch.n;
}

/**
 * Checks an answer with Freivalds' algorithm and records it, whatever the outcome. A challenge takes
 * one answer: the first one decides it (a concurrent second answer loses the conditional update).
 * A product whose hash was already seen for any challenge is a replay, even if it would pass.
 */
export async function answerPocChallenge(ctx: Ctx, request: Request, challengeId: string, bytes: Uint8Array, elapsedMs: number): Promise<PocResult> {
  const now = clock(ctx);
  const ch = await ctx.db.pocChallenge.findUnique({ where: { id: challengeId } });
  if (!ch || ch.chainId !== ctx.chainId) throw notFound(`no Compute-PoC challenge ${challengeId}`);
  await requireActor(ctx, request, ch.nodeId);
  const expected = ch.n * ch.n * 4;
  if (bytes.byteLength !== expected) {
    throw new ApiError(400, "validation_failed", `C must be n² = ${ch.n * ch.n} u32 little-endian values (${expected} bytes), got ${bytes.byteLength} bytes`);
  }
  const wallMs = Math.max(1, now.getTime() - ch.issuedAt.getTime());
  // Server clocks round to milliseconds and the body arrives after the timer stopped: allow 1 s.
  if (elapsedMs > wallMs + 1_000) throw new ApiError(400, "validation_failed", `elapsedMs ${elapsedMs} is longer than the ${wallMs} ms since the challenge was issued`);
  const answerSha256 = createHash("sha256").update(bytes).digest("hex");

  const record = (outcome: Exclude<PocOutcome, "passed">) =>
    ctx.db.pocAttempt.create({ data: { challengeId: ch.id, chainId: ch.chainId, nodeId: ch.nodeId, outcome, answerSha256, elapsedMs, wallMs } });
  const refuse = async (outcome: Exclude<PocOutcome, "passed">, status?: string): Promise<never> => {
    if (status) await ctx.db.pocChallenge.updateMany({ where: { id: ch.id, status: "pending" }, data: { status } });
    await record(outcome);
    throw refusals[outcome](ch.nodeId);
  };

  if (ch.status !== "pending") return refuse("already_answered");
  if (now.getTime() > ch.expiresAt.getTime()) return refuse("expired", "expired");
  const seen = await ctx.db.pocAttempt.findFirst({ where: { answerSha256, challengeId: { not: ch.id } }, select: { id: true } });
  if (seen) return refuse("replayed_answer", "failed");

  const check = verifyPocProduct({ seed: Number(ch.seed), n: ch.n }, decodeProduct(bytes));
  const decided = await ctx.db.pocChallenge.updateMany({ where: { id: ch.id, status: "pending" }, data: { status: check.ok ? "passed" : "failed" } });
  if (decided.count === 0) return refuse("already_answered");
  if (!check.ok) {
    await record("wrong_product");
    throw refusals.wrong_product(ch.nodeId);
  }
  const ops = pocOps(ch.n);
  const rates = { opsPerSecond: ops / (elapsedMs / 1000), wallOpsPerSecond: ops / (wallMs / 1000) };
  // Every pass is recorded (the node's proven throughput); the first of the epoch is also a small
  // compute-proof credential of a fixed weight (lib/epochs recordComputeProof), recorded with the
  // attempt so neither exists without the other. A capacity proof is not a source of work.
  const node = await ctx.db.node.findUniqueOrThrow({ where: { chainId_nodeId: { chainId: ch.chainId, nodeId: ch.nodeId } } });
  const credited = await ctx.db.$transaction(async (tx) => {
    await tx.pocAttempt.create({ data: { challengeId: ch.id, chainId: ch.chainId, nodeId: ch.nodeId, outcome: "passed", answerSha256, elapsedMs, wallMs, ...rates } });
    return recordComputeProof(tx, ch.chainId, { nodeId: ch.nodeId, owner: node.owner, challengeId: ch.id, answerSha256 });
  });
  return { challengeId: ch.id, nodeId: ch.nodeId.toString(), outcome: "passed", n: ch.n, rounds: check.rounds, elapsedMs, wallMs, ...rates, credited };
}

export type NodeThroughput = {
  nodeId: string;
  /** the latest passed proof, null when the node has none */
  latest: { n: number; opsPerSecond: number; wallOpsPerSecond: number; provenAt: Date } | null;
  passes: number;
  /** recorded refusals by outcome (wrong products, replays, late or repeated answers) */
  failures: Partial<Record<Exclude<PocOutcome, "passed">, number>>;
};

/** What the Compute-PoC says about a node: its latest proven throughput and its record of refusals. */
export async function nodeThroughput(db: PrismaClient, nodeId: bigint, chainId: number): Promise<NodeThroughput> {
  return (await nodesThroughput(db, [nodeId], chainId)).get(nodeId.toString())!;
}

/** nodeThroughput for many nodes in two queries (the nodes page). */
export async function nodesThroughput(db: PrismaClient, nodeIds: bigint[], chainId: number): Promise<Map<string, NodeThroughput>> {
  const out = new Map<string, NodeThroughput>(nodeIds.map((id) => [id.toString(), { nodeId: id.toString(), latest: null, passes: 0, failures: {} }]));
  if (nodeIds.length === 0) return out;
  const counts = await db.pocAttempt.groupBy({ by: ["nodeId", "outcome"], where: { chainId, nodeId: { in: nodeIds } }, _count: { _all: true } });
  for (const c of counts) {
    const t = out.get(c.nodeId.toString())!;
    if (c.outcome === "passed") t.passes = c._count._all;
    else t.failures[c.outcome as Exclude<PocOutcome, "passed">] = c._count._all;
  }
  const latest = await db.pocAttempt.findMany({
    where: { chainId, nodeId: { in: nodeIds }, outcome: "passed" },
    orderBy: { createdAt: "desc" },
    distinct: ["nodeId"],
    include: { challenge: { select: { n: true } } },
  });
  for (const a of latest) {
    out.get(a.nodeId.toString())!.latest = { n: a.challenge.n, opsPerSecond: a.opsPerSecond!, wallOpsPerSecond: a.wallOpsPerSecond!, provenAt: a.createdAt };
  }
  return out;
}
