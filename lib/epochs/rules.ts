// The published reward rules: the ONE place where the emission split, tier multipliers (taken from the
// tier table, lib/chain/tiers.ts) and slash share live. Pure (no server-only): the coordinator's
// closer and the `verify-epoch` watchtower both compute rewards with exactly this code, so anyone
// can recompute an epoch from its published inputs.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
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
} as const;

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

export const credentialRoles = ["compute", "verify", "compute-proof"] as const;
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

/** Splits `pool × bucket share` by weight, rounding each share down (dust stays unminted). */
function share(pool: bigint, bps: number, weights: Map<string, bigint>, into: Map<string, bigint>): bigint {
  const budget = (pool * BigInt(bps)) / 10_000n;
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

export function computeRewards(inp: RewardInputs): RewardResult {
  const { split, tierMultiplierBps } = EPOCH_RULES;
  const compute = new Map<string, bigint>();
  const verify = new Map<string, bigint>();
  const staking = new Map<string, bigint>();
  const work = new Map<string, bigint>();
  let workUnits = 0n;
  for (const c of inp.credentials) {
    const k = key(c.owner, c.nodeId);
    work.set(k, (work.get(k) ?? 0n) + c.workUnits);
    workUnits += c.workUnits;
    if (c.role === "verify") verify.set(k, (verify.get(k) ?? 0n) + c.workUnits);
    else compute.set(k, (compute.get(k) ?? 0n) + c.workUnits * BigInt(tierMultiplierBps[inp.tiers.get(c.nodeId) ?? 0] ?? tierMultiplierBps[0]!));
  }
  for (const [nodeId, s] of inp.stakeSeconds) {
    const owner = inp.owners.get(nodeId);
    if (owner) staking.set(key(owner, nodeId), s);
  }
  const amounts = new Map<string, bigint>();
  const buckets = {
    compute: share(inp.pool, split.computeBps, compute, amounts),
    staking: share(inp.pool, split.stakingBps, staking, amounts),
    verify: share(inp.pool, split.verifyBps, verify, amounts),
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
