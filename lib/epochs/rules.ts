// The published reward rules: the ONE place where the emission split, tier multipliers (taken from the
// tier table, lib/chain/tiers.ts) and slash share live. Pure (no server-only): the coordinator's
// closer and the `verify-epoch` watchtower both compute rewards with exactly this code, so anyone
// can recompute an epoch from its published inputs.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { concat, keccak256 } from "viem";
import { tierTable } from "@/lib/chain";

export const EPOCH_RULES = {
  /** Share of `ContributionLedger.epochCap(epoch)` an epoch emits (basis points). */
  emissionBps: 10_000,
  /** How an epoch's emission is split between the three buckets (basis points, sum 10,000). */
  split: { computeBps: 6_000, stakingBps: 3_000, verifyBps: 1_000 },
  /** Tier multipliers of the compute bucket (bronze, silver, gold, platinum): the tier table's (lib/chain/tiers.ts). */
  tierMultiplierBps: tierTable.map((t) => Number(t.multiplierBps)),
  /** Share of a faulty node's stake (and unbonding tranches) burned per fault. */
  slashBps: 1_000,
  /**
   * Compute-PoC passes prove capacity; they are not a source of work. Per node and epoch only the
   * `perNodePerEpoch` compute-proof credentials with the lowest ids earn, each weighing at most
   * `workUnits` (0.1 MFLOP: below one fragment of the default Iris job, 0.075 % of one of the demo
   * MNIST job), and all of them together take at most `maxComputeBps` of the compute bucket, so an
   * epoch whose only credentials are passes cannot hand them the whole bucket.
   */
  computeProof: { perNodePerEpoch: 1, workUnits: 100_000, maxComputeBps: 100 },
} as const;

/** What one credited Compute-PoC pass weighs (lib/compute-poc records its credential with this). */
export const COMPUTE_PROOF_WORK_UNITS = BigInt(EPOCH_RULES.computeProof.workUnits);

/**
 * The canonical form slash evidence is hashed in (`evidenceHash = keccak256(utf8(canonicalEvidenceJson(
 * faultRecord)))`, see slashing.ts), also used to compare published rules: JSON with sorted keys and
 * bigints as decimal strings (stable across JSONB storage and languages). Keys are sorted, then the
 * object is rebuilt, so integer-like keys come first in ascending numeric order (JavaScript's property
 * order); NaN and undefined array items become null, as JSON.stringify writes them.
 *
 * Not the job spec's form (lib/jobs/spec.ts `canonicalSpecJson`, RFC 8785 JCS): the two differ on
 * integer-like keys, bigints and NaN, and each is committed on-chain (Staking.slash's evidence hash,
 * TaskManager.createTask's spec hash), so neither can change to match the other.
 */
export function canonicalEvidenceJson(v: unknown): string {
  const norm = (x: unknown): unknown => {
    if (typeof x === "bigint") return x.toString();
    if (Array.isArray(x)) return x.map(norm);
    if (x && typeof x === "object") return Object.fromEntries(Object.keys(x).sort().map((k) => [k, norm((x as Record<string, unknown>)[k])]));
    return x;
  };
  return JSON.stringify(norm(v));
}

/**
 * `inference`: an accepted compute result of an inference job (lib/scheduler listContributions); it earns
 * exactly like `compute` (its work units, tier multiplier, the compute bucket).
 */
export const credentialRoles = ["compute", "verify", "compute-proof", "inference"] as const;
export type CredentialRole = (typeof credentialRoles)[number];

/** Leaf: [id, epoch, nodeId, owner, jobId, fragmentId, resultHash, workUnits, role]. */
export const CREDENTIAL_LEAF_ENCODING = ["string", "uint256", "uint256", "address", "string", "string", "bytes32", "uint256", "string"] as const;
/** Leaf as ContributionLedger verifies it: [account, nodeId, cumulativeAmount, cumulativeWorkUnits]. */
export const REWARD_LEAF_ENCODING = ["address", "uint256", "uint256", "uint256"] as const;

/** Credentials root of an epoch with no credentials: keccak256("corex:no-credentials") (the ledger refuses a zero root). */
export const EMPTY_CREDENTIALS_ROOT = "0xe194745c60329508254f6627ea60d3b9e2628f0c4a18d4c59f77f203150571ea" as const;

export type CredentialLeafInput = {
  id: string;
  epoch: bigint;
  nodeId: bigint;
  owner: string;
  jobId: string;
  fragmentId: string;
  resultHash: string;
  workUnits: bigint;
  role: CredentialRole;
};

export type CredentialLeaf = [string, string, string, string, string, string, string, string, string];
export type RewardLeaf = [string, string, string, string];

export function credentialLeaf(c: CredentialLeafInput): CredentialLeaf {
  return [c.id, c.epoch.toString(), c.nodeId.toString(), c.owner.toLowerCase(), c.jobId, c.fragmentId, c.resultHash.toLowerCase(), c.workUnits.toString(), c.role];
}

export function parseCredentialLeaf(l: readonly unknown[]): CredentialLeafInput {
  const role = String(l[8]);
  if (!(credentialRoles as readonly string[]).includes(role)) throw new Error(`unknown credential role ${role}`);
  return {
    id: String(l[0]), epoch: BigInt(String(l[1])), nodeId: BigInt(String(l[2])), owner: String(l[3]).toLowerCase(), jobId: String(l[4]),
    fragmentId: String(l[5]), resultHash: String(l[6]).toLowerCase(), workUnits: BigInt(String(l[7])), role: role as CredentialRole,
  };
}

/** A node's active stake after a change at `at` (unix seconds); ordered by (block, log index). */
export type StakePoint = { nodeId: bigint; at: number; stake: bigint };

/** Σ stake × seconds held in [start, end) per node, from the ordered history of resulting stakes. */
export function stakeSeconds(points: readonly StakePoint[], start: number, end: number): Map<bigint, bigint> {
  const byNode = new Map<bigint, StakePoint[]>();
  for (const p of points) byNode.set(p.nodeId, [...(byNode.get(p.nodeId) ?? []), p]);
  const out = new Map<bigint, bigint>();
  for (const [nodeId, ps] of byNode) {
    let stake = 0n;
    let t = start;
    let acc = 0n;
    for (const p of ps) {
      if (p.at <= start) {
        stake = p.stake;
        continue;
      }
      if (p.at >= end) break;
      acc += stake * BigInt(p.at - t);
      stake = p.stake;
      t = p.at;
    }
    acc += stake * BigInt(Math.max(0, end - t));
    if (acc > 0n) out.set(nodeId, acc);
  }
  return out;
}

export type RewardInputs = {
  /** CXT wei this epoch emits at most (epochCap × emissionBps). */
  pool: bigint;
  credentials: readonly CredentialLeafInput[];
  /** Tier of every node at the close block. */
  tiers: ReadonlyMap<bigint, number>;
  /** Owner (lower-case) of every node. */
  owners: ReadonlyMap<bigint, string>;
  stakeSeconds: ReadonlyMap<bigint, bigint>;
  /** The rewards leaves of the last valid epoch (cumulative). */
  previous: readonly RewardLeaf[];
};

export type RewardResult = {
  leaves: RewardLeaf[];
  /** Σ cumulative now − Σ cumulative before: what the epoch newly makes claimable. */
  total: bigint;
  workUnits: bigint;
  buckets: { compute: bigint; staking: bigint; verify: bigint };
};

const key = (account: string, nodeId: bigint) => `${account.toLowerCase()}:${nodeId}`;

/** Splits `budget` by weight, rounding each share down (dust stays unminted). */
function share(budget: bigint, weights: Map<string, bigint>, into: Map<string, bigint>): bigint {
  const sum = [...weights.values()].reduce((s, w) => s + w, 0n);
  if (sum === 0n) return 0n;
  let paid = 0n;
  for (const [k, w] of weights) {
    const a = (budget * w) / sum;
    paid += a;
    into.set(k, (into.get(k) ?? 0n) + a);
  }
  return paid;
}

/**
 * The work units each credential earns with, in input order: its own for `compute`, `inference` and `verify`;
 * for `compute-proof`, per node only the `perNodePerEpoch` lowest ids earn (whatever order the
 * credentials come in), each capped at `computeProof.workUnits`, and every other pass earns 0.
 */
export function creditedWorkUnits(credentials: readonly CredentialLeafInput[]): bigint[] {
  const { perNodePerEpoch, workUnits: cap } = EPOCH_RULES.computeProof;
  const proofs = new Map<bigint, string[]>();
  for (const c of credentials) if (c.role === "compute-proof") proofs.set(c.nodeId, [...(proofs.get(c.nodeId) ?? []), c.id]);
  const earning = new Set([...proofs.values()].flatMap((ids) => ids.sort().slice(0, perNodePerEpoch)));
  return credentials.map((c) => {
    if (c.role !== "compute-proof") return c.workUnits;
    if (!earning.has(c.id)) return 0n;
    return c.workUnits < BigInt(cap) ? c.workUnits : BigInt(cap);
  });
}

/**
 * The compute bucket: work × tier multiplier, with Compute-PoC passes held to `maxComputeBps` of it
 * in total. Real work takes the rest; with no real work the rest stays unminted.
 */
function shareCompute(budget: bigint, work: Map<string, bigint>, proofs: Map<string, bigint>, into: Map<string, bigint>): bigint {
  const sum = (m: Map<string, bigint>) => [...m.values()].reduce((s, w) => s + w, 0n);
  const real = sum(work);
  const proof = sum(proofs);
  if (real + proof === 0n) return 0n;
  const proportional = (budget * proof) / (real + proof);
  const cap = (budget * BigInt(EPOCH_RULES.computeProof.maxComputeBps)) / 10_000n;
  const proofBudget = proportional < cap ? proportional : cap;
  return share(real > 0n ? budget - proofBudget : 0n, work, into) + share(proofBudget, proofs, into);
}

export function computeRewards(inp: RewardInputs): RewardResult {
  const { split, tierMultiplierBps } = EPOCH_RULES;
  const compute = new Map<string, bigint>();
  const proofs = new Map<string, bigint>();
  const verify = new Map<string, bigint>();
  const staking = new Map<string, bigint>();
  const work = new Map<string, bigint>();
  const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
  const credited = creditedWorkUnits(inp.credentials);
  let workUnits = 0n;
  inp.credentials.forEach((c, i) => {
    const k = key(c.owner, c.nodeId);
    const units = credited[i]!;
    add(work, k, units);
    workUnits += units;
    const tiered = units * BigInt(tierMultiplierBps[inp.tiers.get(c.nodeId) ?? 0] ?? tierMultiplierBps[0]!);
    if (c.role === "verify") add(verify, k, units);
    else if (c.role === "compute-proof") add(proofs, k, tiered);
    else add(compute, k, tiered);
  });
  for (const [nodeId, s] of inp.stakeSeconds) {
    const owner = inp.owners.get(nodeId);
    if (owner) staking.set(key(owner, nodeId), s);
  }
  const amounts = new Map<string, bigint>();
  const budget = (bps: number) => (inp.pool * BigInt(bps)) / 10_000n;
  const buckets = {
    compute: shareCompute(budget(split.computeBps), compute, proofs, amounts),
    staking: share(budget(split.stakingBps), staking, amounts),
    verify: share(budget(split.verifyBps), verify, amounts),
  };
  const leaves = new Map<string, { account: string; nodeId: bigint; amount: bigint; work: bigint }>();
  for (const [a, n, amount, w] of inp.previous) leaves.set(key(a, BigInt(n)), { account: a.toLowerCase(), nodeId: BigInt(n), amount: BigInt(amount), work: BigInt(w) });
  for (const k of new Set([...amounts.keys(), ...work.keys()])) {
    const [account, n] = k.split(":");
    const prev = leaves.get(k) ?? { account: account!, nodeId: BigInt(n!), amount: 0n, work: 0n };
    leaves.set(k, { ...prev, amount: prev.amount + (amounts.get(k) ?? 0n), work: prev.work + (work.get(k) ?? 0n) });
  }
  const sorted = [...leaves.values()].sort((x, y) => (x.account === y.account ? Number(x.nodeId - y.nodeId) : x.account < y.account ? -1 : 1));
  return {
    leaves: sorted.map((l) => [l.account, l.nodeId.toString(), l.amount.toString(), l.work.toString()]),
    total: buckets.compute + buckets.staking + buckets.verify,
    workUnits,
    buckets,
  };
}

export function credentialsTree(leaves: readonly CredentialLeaf[]) {
  return leaves.length ? StandardMerkleTree.of([...leaves], [...CREDENTIAL_LEAF_ENCODING]) : null;
}

export function rewardsTree(leaves: readonly RewardLeaf[]) {
  return StandardMerkleTree.of([...leaves], [...REWARD_LEAF_ENCODING]);
}

// ------------------------------------------------------------------------------------------ task fees

/**
 * Fee leaf as TaskManager verifies it: [kind, taskId, account, amount] with kind "fee" (cumulative fee
 * of `account` for the task: a node owner's pay for accepted work, or the dataset provider's share) or
 * "refund" (the creator's refund once the task is closed: the fee less every fee leaf of the task).
 * A reward leaf is four static words and a fee leaf six (the string is dynamic), so neither can be
 * proven as the other.
 */
export const FEE_LEAF_ENCODING = ["string", "uint256", "address", "uint256"] as const;
export type FeeLeafKind = "fee" | "refund";
export type FeeLeaf = [FeeLeafKind, string, string, string];

/** A task as the fee rule needs it, read from TaskManager.getTask at the close block. */
export type FeeTask = { fee: bigint; fragmentCount: number; creator: string; provider: string | null; providerFeeBps: number; closed: boolean };

export type FeeInputs = {
  /** The epoch's credentials (only compute, inference and verify ones of a job with a task earn fees). */
  credentials: readonly CredentialLeafInput[];
  /** jobId → taskId of every job those credentials name that has an on-chain task. */
  jobs: ReadonlyMap<string, bigint>;
  /** Every task of `jobs`, and every closed task still owed a refund. */
  tasks: ReadonlyMap<bigint, FeeTask>;
  /** The fee leaves of the last valid epoch (cumulative). */
  previous: readonly FeeLeaf[];
};

const ZERO_ADDRESS = /^0x0{40}$/i;
const feeKey = (kind: FeeLeafKind, taskId: bigint, account: string) => `${kind}:${taskId}:${account.toLowerCase()}`;

/**
 * The task fee rule (F10): per epoch and task, budget = min(fee − what earlier leaves already commit,
 * fee × distinct fragments with accepted work in this epoch ÷ fragmentCount); the dataset provider takes
 * floor(budget × providerFeeBps ÷ 10,000) as its own fee leaf; the rest is split among the owners of
 * the accepted results by work units (rounded down; dust is refunded). Once a task is closed on the
 * chain at the close block and has no refund leaf yet, the creator gets `["refund", task, creator,
 * fee − Σ fee leaves]`: the refund is never shared, and after it the task's budget is 0. Amounts are
 * cumulative and only grow; per task Σ fee leaves + refund ≤ fee.
 */
export function computeFees(inp: FeeInputs): { leaves: FeeLeaf[]; committed: Map<bigint, bigint> } {
  const amounts = new Map<string, { kind: FeeLeafKind; taskId: bigint; account: string; amount: bigint }>();
  const committed = new Map<bigint, bigint>();
  const refunded = new Set<bigint>();
  const credit = (kind: FeeLeafKind, taskId: bigint, account: string, amount: bigint) => {
    const k = feeKey(kind, taskId, account);
    const prev = amounts.get(k) ?? { kind, taskId, account: account.toLowerCase(), amount: 0n };
    amounts.set(k, { ...prev, amount: prev.amount + amount });
    committed.set(taskId, (committed.get(taskId) ?? 0n) + amount);
  };
  for (const [kind, t, account, amount] of inp.previous) {
    credit(kind, BigInt(t), account, BigInt(amount));
    if (kind === "refund") refunded.add(BigInt(t));
  }
  const work = new Map<bigint, { fragments: Set<string>; units: Map<string, bigint> }>();
  for (const c of inp.credentials) {
    if (c.role === "compute-proof") continue;
    const taskId = inp.jobs.get(c.jobId);
    if (taskId === undefined || !inp.tasks.has(taskId)) continue;
    const w = work.get(taskId) ?? { fragments: new Set<string>(), units: new Map<string, bigint>() };
    w.fragments.add(c.fragmentId);
    w.units.set(c.owner.toLowerCase(), (w.units.get(c.owner.toLowerCase()) ?? 0n) + c.workUnits);
    work.set(taskId, w);
  }
  for (const [taskId, w] of [...work].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const t = inp.tasks.get(taskId)!;
    const left = t.fee - (committed.get(taskId) ?? 0n);
    const due = (t.fee * BigInt(Math.min(w.fragments.size, t.fragmentCount))) / BigInt(Math.max(1, t.fragmentCount));
    const budget = left < due ? left : due;
    if (budget <= 0n) continue;
    const hasProvider = t.provider !== null && !ZERO_ADDRESS.test(t.provider) && t.providerFeeBps > 0;
    const cut = hasProvider ? (budget * BigInt(t.providerFeeBps)) / 10_000n : 0n;
    if (cut > 0n) credit("fee", taskId, t.provider!, cut);
    const units = [...w.units.values()].reduce((s, u) => s + u, 0n);
    if (units === 0n) continue;
    for (const [owner, u] of w.units) {
      const a = ((budget - cut) * u) / units;
      if (a > 0n) credit("fee", taskId, owner, a);
    }
  }
  for (const [taskId, t] of [...inp.tasks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!t.closed || refunded.has(taskId)) continue;
    const refund = t.fee - (committed.get(taskId) ?? 0n);
    if (refund > 0n) credit("refund", taskId, t.creator, refund);
  }
  const leaves = [...amounts.values()]
    .filter((l) => l.amount > 0n)
    .sort((x, y) => (x.taskId !== y.taskId ? (x.taskId < y.taskId ? -1 : 1) : x.kind !== y.kind ? (x.kind < y.kind ? -1 : 1) : x.account < y.account ? -1 : x.account > y.account ? 1 : 0))
    .map((l): FeeLeaf => [l.kind, l.taskId.toString(), l.account, l.amount.toString()]);
  return { leaves, committed };
}

export function feesTree(leaves: readonly FeeLeaf[]) {
  return leaves.length ? StandardMerkleTree.of([...leaves], [...FEE_LEAF_ENCODING]) : null;
}

/**
 * The root an epoch posts as its `rewardsRoot`: the reward tree's root when there are no fee leaves (so
 * an epoch without fees is exactly as before), else the commutative keccak of the two subtree roots
 * (OpenZeppelin MerkleProof's pair hash). A reward proof then ends with the fee tree's root and a fee
 * proof with the reward tree's (`epochProof`).
 */
export function epochRoot(rewardsRoot: string, feesRoot: string | null | undefined): `0x${string}` {
  if (!feesRoot) return rewardsRoot.toLowerCase() as `0x${string}`;
  const [a, b] = [rewardsRoot, feesRoot].map((r) => r.toLowerCase()).sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
  return keccak256(concat([a as `0x${string}`, b as `0x${string}`]));
}

/** A subtree proof extended to the epoch root: the other subtree's root is the last sibling (none without fees). */
export function epochProof(proof: readonly string[], siblingRoot: string | null | undefined): `0x${string}`[] {
  return [...proof, ...(siblingRoot ? [siblingRoot] : [])] as `0x${string}`[];
}
