import "server-only";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, toHex } from "viem";
import { ApiError, notFound } from "@/lib/api";
import type { Prisma, PrismaClient } from "@/lib/db";
import type { Contribution } from "@/lib/scheduler";
import { COMPUTE_PROOF_WORK_UNITS, CREDENTIAL_LEAF_ENCODING, credentialLeaf, type CredentialRole } from "./rules";
import { recordCredentialSchema, type RecordCredentialInput, type credentialListQuerySchema } from "./schemas";
import type { z } from "zod";

type Tx = Pick<PrismaClient, "credential">;

/**
 * Records a contribution credential (pending until the next epoch closes). Idempotent: the id is
 * derived from (chain, role, job, fragment, node) unless given, and a second record of the same
 * contribution returns the first. Call it in the transaction that accepts the result.
 */
export async function recordCredential(tx: Tx, chainId: number, input: RecordCredentialInput) {
  const c = recordCredentialSchema.parse(input);
  const id = c.id ?? keccak256(toHex(`corex-credential:${chainId}:${c.role}:${c.jobId}:${c.fragmentId}:${c.nodeId}`)).slice(0, 34);
  const data = { id, chainId, nodeId: c.nodeId, owner: c.owner, jobId: c.jobId, fragmentId: c.fragmentId, resultHash: c.resultHash, workUnits: c.workUnits.toString(), role: c.role };
  const existing = await tx.credential.findUnique({ where: { chainId_role_jobId_fragmentId_nodeId: { chainId, role: c.role, jobId: c.jobId, fragmentId: c.fragmentId, nodeId: c.nodeId } } });
  return existing ?? tx.credential.create({ data });
}

/** pg advisory lock class of a node's Compute-PoC credit ('CPOC'); the second key hashes (chain, node). */
const PROOF_LOCK_CLASS = 0x43504f43;

/**
 * Credits a passed Compute-PoC: a `compute-proof` credential of COMPUTE_PROOF_WORK_UNITS (whatever
 * the challenge's size), unless the node already has one pending — at most one credited pass per
 * node per epoch, since the closer seals every pending credential into the next epoch. Passes of one
 * node queue on an advisory lock; the partial unique index `credentials_pending_proof_key` refuses a
 * second pending proof on any other path, and the reward rules credit one per node and epoch anyway
 * (EPOCH_RULES.computeProof). Call it in the transaction that records the pass; true when credited.
 */
export async function recordComputeProof(
  tx: Tx & Pick<PrismaClient, "$executeRaw">, chainId: number, pass: { nodeId: bigint; owner: string; challengeId: string; answerSha256: string },
): Promise<boolean> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PROOF_LOCK_CLASS}::int, hashtext(${`${chainId}:${pass.nodeId}`}))`;
  const pending = await tx.credential.findFirst({ where: { chainId, nodeId: pass.nodeId, role: "compute-proof", epoch: null }, select: { id: true } });
  if (pending) return false;
  await recordCredential(tx, chainId, {
    nodeId: pass.nodeId, owner: pass.owner, jobId: "compute-poc", fragmentId: pass.challengeId, resultHash: `0x${pass.answerSha256}`, workUnits: COMPUTE_PROOF_WORK_UNITS, role: "compute-proof",
  });
  return true;
}

type Row = Awaited<ReturnType<PrismaClient["credential"]["findFirstOrThrow"]>>;

export function credentialSummary(r: Row) {
  return {
    id: r.id, epoch: r.epoch?.toString() ?? null, nodeId: r.nodeId.toString(), owner: r.owner, jobId: r.jobId, fragmentId: r.fragmentId,
    resultHash: r.resultHash, workUnits: r.workUnits.toFixed(), role: r.role as CredentialRole, createdAt: r.createdAt.toISOString(),
  };
}

export async function listCredentials(db: PrismaClient, chainId: number, q: z.output<typeof credentialListQuerySchema>) {
  const where: Prisma.CredentialWhereInput = {
    chainId,
    ...(q.epoch ? { epoch: BigInt(q.epoch) } : {}),
    ...(q.node ? { nodeId: BigInt(q.node) } : {}),
    ...(q.job ? { jobId: q.job } : {}),
    ...(q.owner ? { owner: q.owner.toLowerCase() } : {}),
    ...(q.cursor ? { id: { gt: q.cursor } } : {}),
  };
  const rows = await db.credential.findMany({ where, orderBy: { id: "asc" }, take: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  return { credentials: page.map(credentialSummary), nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

/**
 * `{ epoch, leaf, leafEncoding, proof, root }` of a credential, where root is the credentials root of
 * its epoch as posted (the stored tree's root, which the closer posted in the same transaction).
 */
export async function getCredentialProof(db: PrismaClient, chainId: number, id: string) {
  const r = await db.credential.findFirst({ where: { id, chainId } });
  if (!r) throw notFound(`no credential ${id}`);
  if (r.epoch === null) {
    return { id, epoch: null, leaf: [], leafEncoding: [...CREDENTIAL_LEAF_ENCODING], proof: [], root: null, status: "pending" as const };
  }
  const close = await db.epochClose.findUnique({ where: { chainId_epoch: { chainId, epoch: r.epoch } } });
  if (!close?.credentialsTree) throw new ApiError(500, "internal", `epoch ${r.epoch} has no stored credentials tree`);
  const tree = StandardMerkleTree.load(close.credentialsTree as never);
  const leaf = credentialLeaf({ ...r, epoch: r.epoch, workUnits: BigInt(r.workUnits.toFixed()), role: r.role as CredentialRole });
  let proof: string[] | undefined;
  for (const [i, v] of tree.entries()) if (v[0] === id) proof = tree.getProof(i);
  if (!proof) throw new ApiError(500, "internal", `credential ${id} is not in epoch ${r.epoch}'s tree`);
  return { id, epoch: Number(r.epoch), leaf, leafEncoding: [...CREDENTIAL_LEAF_ENCODING], proof, root: close.credentialsRoot, status: "sealed" as const };
}

export async function getEpochTree(db: PrismaClient, chainId: number, ledger: string, epoch: bigint) {
  const c = await db.epochClose.findFirst({ where: { chainId, epoch, status: "posted" } });
  if (!c) throw notFound(`epoch ${epoch} was not closed by this coordinator`);
  return {
    epoch: Number(c.epoch), chainId, ledger, txHash: c.txHash, credentialsRoot: c.credentialsRoot, rewardsRoot: c.rewardsRoot, total: c.total.toFixed(),
    workUnits: c.workUnits.toFixed(), credentialCount: c.credentialCount, credentials: c.credentialsTree as never, rewards: c.rewardsTree as never, fees: (c.feesTree ?? null) as never,
    inputs: c.inputs as Record<string, unknown>,
  };
}

/** Records accepted contributions (as the scheduler lists them) as credentials (idempotent: a contribution seen twice stays one credential). */
export async function recordContributions(tx: Tx, chainId: number, rows: readonly Contribution[]) {
  const out = [];
  for (const r of rows) {
    out.push(await recordCredential(tx, chainId, {
      nodeId: String(r.nodeId), owner: r.owner, jobId: r.jobId, fragmentId: r.fragmentId, resultHash: r.resultHash, workUnits: String(r.workUnits), role: r.kind,
    }));
  }
  return out;
}
