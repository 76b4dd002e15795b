import "server-only";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { Prisma, type PrismaClient } from "@/lib/db";
import type { Address, Hex } from "viem";
import { sendTx, TxRevertedError } from "@/lib/chain";
import type { EpochChain } from "./chain";
import {
  EMPTY_CREDENTIALS_ROOT, EPOCH_RULES, computeFees, computeRewards, credentialLeaf, credentialsTree, epochRoot, feesTree, rewardsTree, stakeSeconds,
  type CredentialLeafInput, type CredentialRole, type FeeLeaf, type FeeTask, type RewardLeaf, type StakePoint,
} from "./rules";

/** pg advisory lock class of the closer ('EPOC'); the second key is the chain id. */
const LOCK_CLASS = 0x45504f43;
const STATUS = ["none", "posted", "disputed", "confirmed", "invalid"] as const;

export type CloseResult =
  | { status: "posted"; epoch: bigint; txHash: Hex; total: bigint; credentialCount: number; leaves: number; feeLeaves: number }
  | { status: "skipped"; reason: string; epoch?: bigint };

/** What `GET /api/epochs/{n}/tree` publishes besides the trees: every input the watchtower needs. */
export type EpochInputs = {
  rules: typeof EPOCH_RULES;
  epoch: string;
  epochCap: string;
  pool: string;
  windowStart: number;
  windowEnd: number;
  closeBlock: string;
  /** The last valid epoch whose cumulative leaves this one extends (0 = none). */
  baseEpoch: string;
  /** The base leaves when the base epoch was not closed here (e.g. the dev seed's genesis): from claimedOf. */
  baseLeaves?: RewardLeaf[];
  tiers: Record<string, number>;
  owners: Record<string, string>;
  stakeSeconds: Record<string, string>;
  buckets: { compute: string; staking: string; verify: string };
  /** Task fees (F10): the TaskManager, which task each fee-earning job belongs to, and every task the fee leaves pay from, as read at the close block. */
  taskManager: string;
  jobs: Record<string, string>;
  tasks: Record<string, { fee: string; fragmentCount: number; creator: string; provider: string | null; providerFeeBps: number; closed: boolean }>;
};

type EpochOnChain = { status: number; postedAt: bigint; total: bigint };

export async function readChainEpoch(chain: EpochChain, epoch: bigint): Promise<EpochOnChain> {
  return (await chain.client.readContract({ address: chain.addresses.ledger, abi: contributionLedgerAbi, functionName: "getEpoch", args: [epoch] })) as EpochOnChain;
}

/** How long a claimed ("closing") epoch belongs to the instance that claimed it before another may retry it. */
const CLOSING_LEASE_MS = 120_000;

type Tx = Prisma.TransactionClient;
type Log = (s: string) => void;
type PostArgs = readonly [epoch: bigint, credentialsRoot: Hex, rewardsRoot: Hex, total: bigint, workUnits: bigint, credentialCount: number];
type Claim = { epoch: bigint; last: bigint; args: PostArgs; ids: string[]; summary: { total: bigint; credentialCount: number; leaves: number; feeLeaves: number } };
type Phase1 = { kind: "done"; result: CloseResult } | ({ kind: "send" } & Claim);
const done = (result: CloseResult): Phase1 => ({ kind: "done", result });
const skipped = (reason: string, epoch?: bigint): Phase1 => done({ status: "skipped", reason, ...(epoch === undefined ? {} : { epoch }) });

const ledgerReader = (chain: EpochChain) => <T>(functionName: string, args: readonly unknown[] = [], blockNumber?: bigint) =>
  chain.client.readContract({ address: chain.addresses.ledger, abi: contributionLedgerAbi, functionName, args, blockNumber } as never) as Promise<T>;

/**
 * Closes the next epoch if it is due: seals every pending credential into it, computes the rewards
 * by `EPOCH_RULES`, posts both roots with `ContributionLedger.postEpoch` and stores the trees.
 * Exactly once across instances and crashes, in three steps:
 * 1. under a transaction-scoped advisory lock (other instances skip), build everything and commit a
 *    claimed `epoch_closes` row (status "closing", with both trees); a fresh claim makes others skip
 *    (claimNextEpoch);
 * 2. read the chain's lastEpoch again and send postEpoch (the ledger refuses any epoch number but
 *    lastEpoch + 1, so a second post could never land); a send refused or reverted removes the claim,
 *    one that went out and lost its receipt keeps it (postClaim);
 * 3. mark the row posted and seal its credentials. A crash between 2 and 3 is repaired by the next
 *    call: a "closing" row whose roots the chain holds is completed, a stale one not on the chain is
 *    dropped (settleEarlierClaim).
 */
export async function closeEpoch(db: PrismaClient, chain: EpochChain, opts: { minSeconds?: number; log?: Log } = {}): Promise<CloseResult> {
  const log = opts.log ?? (() => {});
  const p1 = await db.$transaction((tx) => claimNextEpoch(tx, chain, opts.minSeconds ?? 0, log), { timeout: 120_000, maxWait: 10_000 });
  if (p1.kind === "done") return p1.result;
  return postClaim(db, chain, p1, log);
}

/** Step 1: under the closer's lock, repair an earlier claim or build the next epoch and claim it. */
async function claimNextEpoch(tx: Tx, chain: EpochChain, minSeconds: number, log: Log): Promise<Phase1> {
  const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_CLASS}::int, ${chain.chainId}::int) AS locked`;
  if (!locked) return skipped("another instance is closing");
  const last = await ledgerReader(chain)<bigint>("lastEpoch");
  const epoch = last + 1n;
  const earlier = await settleEarlierClaim(tx, chain, last, log);
  if (earlier) return earlier;
  const blocked = await closeBlocker(tx, chain, last, epoch);
  if (blocked) return blocked;

  const checkpoint = await tx.indexerCheckpoint.findUnique({ where: { chainId: chain.chainId } });
  if (!checkpoint) return skipped("the mirror has not indexed this chain yet", epoch);
  const closeBlock = checkpoint.blockNumber;
  const windowEnd = Number((await chain.client.getBlock({ blockNumber: closeBlock })).timestamp);
  const base = await epochBase(tx, chain, last, windowEnd);
  if (windowEnd - base.windowStart < minSeconds) return skipped("the epoch is not over yet", epoch);
  const facts = await sealableFacts(tx, chain, { epoch, closeBlock, invalid: base.invalid, windowStart: base.windowStart, windowEnd }, log);
  if ("reason" in facts) return skipped(facts.reason, epoch);
  return claimEpoch(tx, chain, { epoch, last, closeBlock, windowEnd, base, facts });
}

/**
 * A claim left by an earlier attempt: complete it when the chain holds its roots, else keep away
 * from a fresh one, or drop a stale one (its post never landed). Null when the close may go on.
 */
export async function settleEarlierClaim(tx: Tx, chain: EpochChain, last: bigint, log: Log): Promise<Phase1 | null> {
  const claimed = await tx.epochClose.findFirst({ where: { chainId: chain.chainId, status: "closing" }, orderBy: { epoch: "desc" } });
  if (!claimed) return null;
  const key = { chainId_epoch: { chainId: chain.chainId, epoch: claimed.epoch } };
  if (claimed.epoch <= last) {
    const e = await ledgerReader(chain)<{ credentialsRoot: Hex; rewardsRoot: Hex }>("getEpoch", [claimed.epoch]);
    if (e.credentialsRoot.toLowerCase() !== claimed.credentialsRoot || e.rewardsRoot.toLowerCase() !== claimed.rewardsRoot) {
      throw new Error(`epoch ${claimed.epoch} on the chain does not hold the roots this coordinator claimed: investigate before closing more`);
    }
    const ids = ((claimed.credentialsTree as { values: { value: string[] }[] } | null)?.values ?? []).map((v) => v.value[0]!);
    await tx.credential.updateMany({ where: { id: { in: ids } }, data: { epoch: claimed.epoch } });
    await tx.epochClose.update({ where: key, data: { status: "posted" } });
    log(`epoch ${claimed.epoch}: completed an interrupted close (the chain holds its roots)`);
    return skipped(`completed the interrupted close of epoch ${claimed.epoch}`, claimed.epoch);
  }
  if (Date.now() - claimed.createdAt.getTime() < CLOSING_LEASE_MS) return skipped(`epoch ${claimed.epoch} is being posted by another instance`, claimed.epoch);
  await tx.epochClose.delete({ where: key });
  log(`epoch ${claimed.epoch}: dropped a stale claim whose post never landed`);
  return null;
}

/**
 * Why the next epoch cannot close now (the last one disputed, in its challenge window or posted less than
 * the ledger's minEpochInterval ago, a reset chain), or null.
 */
async function closeBlocker(tx: Tx, chain: EpochChain, last: bigint, epoch: bigint): Promise<Phase1 | null> {
  const read = ledgerReader(chain);
  const [challengeWindow, minInterval] = (await Promise.all([read<bigint | number>("challengeWindow"), read<bigint | number>("minEpochInterval")])).map(BigInt);
  const head = await chain.client.getBlock();
  if (last > 0n) {
    const e = await readChainEpoch(chain, last);
    const status = STATUS[e.status];
    if (status === "disputed") return skipped(`epoch ${last} is disputed`, epoch);
    if (status === "posted" && head.timestamp < e.postedAt + challengeWindow) return skipped(`epoch ${last} is in its challenge window`, epoch);
    // The ledger refuses a post sooner than minEpochInterval after the last (EpochTooSoon).
    if (head.timestamp < e.postedAt + minInterval) return skipped(`epoch ${last} was posted less than minEpochInterval (${minInterval} s) ago`, epoch);
  }
  if (await tx.epochClose.findUnique({ where: { chainId_epoch: { chainId: chain.chainId, epoch } } })) {
    return skipped(`epoch ${epoch} is stored but not on the chain (was the chain reset?)`, epoch);
  }
  return null;
}

type Base = { baseEpoch: bigint; invalid: bigint[]; previous: RewardLeaf[]; previousFees: FeeLeaf[]; baseLeaves?: RewardLeaf[]; windowStart: number };

/**
 * What the epoch builds on: the last epoch that is not invalid (its cumulative leaves carry over),
 * the invalidated ones after it, and where the window starts — where the base epoch's ended, so an
 * invalidated epoch's time is covered again.
 */
async function epochBase(tx: Tx, chain: EpochChain, last: bigint, windowEnd: number): Promise<Base> {
  let baseEpoch = last;
  const invalid: bigint[] = [];
  while (baseEpoch > 0n && STATUS[(await readChainEpoch(chain, baseEpoch)).status] === "invalid") invalid.push(baseEpoch--);
  const stored = baseEpoch > 0n ? await tx.epochClose.findUnique({ where: { chainId_epoch: { chainId: chain.chainId, epoch: baseEpoch } } }) : null;
  let previous: RewardLeaf[] = [];
  let baseLeaves: RewardLeaf[] | undefined;
  // Posted elsewhere (the dev seed's genesis) an epoch has no fee leaves: tasks are only paid through epochs closed here.
  const previousFees = ((stored?.feesTree as { values: { value: FeeLeaf }[] } | null)?.values ?? []).map((v) => v.value);
  if (stored) previous = (stored.rewardsTree as { values: { value: RewardLeaf }[] }).values.map((v) => v.value);
  else if (baseEpoch > 0n) {
    // Posted elsewhere (the dev seed's genesis): what was claimed is the best knowledge of its leaves.
    const totals = await tx.claimTotal.findMany({ where: { chainId: chain.chainId }, orderBy: [{ account: "asc" }, { nodeId: "asc" }] });
    previous = baseLeaves = totals.map((t) => [t.account, t.nodeId.toString(), t.amount.toFixed(), t.workUnits.toFixed()]);
  }
  let windowStart: number;
  if (stored) windowStart = Math.floor(stored.windowEnd.getTime() / 1000);
  else if (baseEpoch > 0n) windowStart = Number((await readChainEpoch(chain, baseEpoch)).postedAt);
  else {
    const first = await tx.node.findFirst({ where: { chainId: chain.chainId }, orderBy: { registeredAt: "asc" } });
    windowStart = first ? Math.floor(first.registeredAt.getTime() / 1000) : windowEnd;
  }
  return { baseEpoch, invalid, previous, previousFees, baseLeaves, windowStart };
}

type Facts = { creds: CredentialLeafInput[]; ids: string[]; tiers: Map<bigint, number>; owners: Map<bigint, string>; seconds: Map<bigint, bigint> };

/**
 * The epoch's credentials and the node facts its rewards need at the close block: every pending
 * credential whose node exists and belongs to its owner (others wait; those of an invalidated epoch
 * were never payable and are sealed again), stake-seconds, tiers and owners.
 */
async function sealableFacts(
  tx: Tx, chain: EpochChain, w: { epoch: bigint; closeBlock: bigint; invalid: bigint[]; windowStart: number; windowEnd: number }, log: Log,
): Promise<Facts | { reason: string }> {
  const pending = await tx.credential.findMany({ where: { chainId: chain.chainId, OR: [{ epoch: null }, { epoch: { in: w.invalid } }] }, orderBy: { id: "asc" } });
  const nodeIds = new Set<bigint>([...pending.map((c) => c.nodeId)]);
  const stakeRows = await tx.stakeChange.findMany({ where: { chainId: chain.chainId, blockNumber: { lte: w.closeBlock } }, orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }] });
  const points: StakePoint[] = stakeRows.map((r) => ({ nodeId: r.nodeId, at: Math.floor(r.timestamp.getTime() / 1000), stake: BigInt(r.stake.toFixed()) }));
  const seconds = stakeSeconds(points, w.windowStart, w.windowEnd);
  for (const n of seconds.keys()) nodeIds.add(n);
  const tiers = new Map<bigint, number>();
  const owners = new Map<bigint, string>();
  try {
    for (const n of nodeIds) {
      const node = (await chain.client.readContract({ address: chain.addresses.staking, abi: stakingAbi, functionName: "getNode", args: [n], blockNumber: w.closeBlock })) as { owner: Address; tier: number };
      if (/^0x0{40}$/i.test(node.owner)) continue;
      tiers.set(n, Number(node.tier));
      owners.set(n, node.owner.toLowerCase());
    }
  } catch (e) {
    // A pruned node (the dev anvil) keeps no state behind its head: wait until the mirror reaches it.
    return { reason: `no chain state at the close block ${w.closeBlock} (${(e as Error).message.split("\n")[0]}): retrying when the mirror is at the head` };
  }
  const sealed = pending.filter((c) => owners.get(c.nodeId) === c.owner);
  if (sealed.length < pending.length) log(`${pending.length - sealed.length} credential(s) name a node their owner does not own at block ${w.closeBlock}: left pending`);
  const creds: CredentialLeafInput[] = sealed.map((c) => ({
    id: c.id, epoch: w.epoch, nodeId: c.nodeId, owner: c.owner, jobId: c.jobId, fragmentId: c.fragmentId, resultHash: c.resultHash, workUnits: BigInt(c.workUnits.toFixed()), role: c.role as CredentialRole,
  }));
  return { creds, ids: sealed.map((c) => c.id), tiers, owners, seconds };
}

type ChainTask = { creator: Address; fragmentCount: number; status: number; fee: bigint; provider: Address; providerFeeBps: number };
const NO_ADDRESS = "0x0000000000000000000000000000000000000000";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the fee rule needs at the close block: the on-chain task of each job the credentials name, and
 * every closed task whose fee is not yet all committed by earlier leaves (its creator is owed a refund
 * leaf). Tasks are read from TaskManager at the close block, as the watchtower reads them.
 */
async function feeFactsAt(tx: Tx, chain: EpochChain, creds: readonly CredentialLeafInput[], previous: readonly FeeLeaf[], closeBlock: bigint) {
  // Job ids are uuids; a credential naming anything else (a test fixture) belongs to no task.
  const jobIds = [...new Set(creds.filter((c) => c.role !== "compute-proof").map((c) => c.jobId))].filter((j) => UUID.test(j));
  const rows = jobIds.length ? await tx.job.findMany({ where: { id: { in: jobIds }, chainId: chain.chainId, taskId: { not: null } }, select: { id: true, taskId: true } }) : [];
  const jobs = new Map(rows.map((r) => [r.id, r.taskId!]));
  const refunded = new Set(previous.filter((l) => l[0] === "refund").map((l) => l[1]));
  const closed = await tx.task.findMany({ where: { chainId: chain.chainId, status: { in: ["completed", "cancelled"] }, fee: { gt: 0 } }, select: { taskId: true, fee: true } });
  const committed = new Map<string, bigint>();
  for (const l of previous) committed.set(l[1], (committed.get(l[1]) ?? 0n) + BigInt(l[3]));
  const owed = closed.filter((t) => !refunded.has(t.taskId.toString()) && (committed.get(t.taskId.toString()) ?? 0n) < BigInt(t.fee.toFixed())).map((t) => t.taskId);
  const tasks = new Map<bigint, FeeTask>();
  for (const id of new Set([...jobs.values(), ...owed])) {
    const t = (await chain.client.readContract({ address: chain.addresses.tasks, abi: taskManagerAbi, functionName: "getTask", args: [id], blockNumber: closeBlock })) as ChainTask;
    if (t.status === 0) continue;
    tasks.set(id, {
      fee: t.fee, fragmentCount: Number(t.fragmentCount), creator: t.creator.toLowerCase(), provider: t.provider.toLowerCase() === NO_ADDRESS ? null : t.provider.toLowerCase(),
      providerFeeBps: Number(t.providerFeeBps), closed: t.status !== 1,
    });
  }
  return { jobs, tasks };
}

/** Computes the rewards and both trees and commits the claimed ("closing") row that step 2 posts. */
async function claimEpoch(
  tx: Tx, chain: EpochChain, e: { epoch: bigint; last: bigint; closeBlock: bigint; windowEnd: number; base: Base; facts: Facts },
): Promise<Phase1> {
  const { epoch, closeBlock, windowEnd, base, facts } = e;
  const { creds, tiers, owners, seconds } = facts;
  const epochCap = await ledgerReader(chain)<bigint>("epochCap", [epoch]);
  const pool = (epochCap * BigInt(EPOCH_RULES.emissionBps)) / 10_000n;
  const result = computeRewards({ pool, credentials: creds, tiers, owners, stakeSeconds: seconds, previous: base.previous });
  const feeFacts = await feeFactsAt(tx, chain, creds, base.previousFees, closeBlock);
  const fees = computeFees({ credentials: creds, jobs: feeFacts.jobs, tasks: feeFacts.tasks, previous: base.previousFees });
  const newFees = JSON.stringify(fees.leaves) !== JSON.stringify(base.previousFees);
  if (result.total === 0n && creds.length === 0 && !newFees) return skipped("nothing to reward in this epoch", epoch);
  const cTree = credentialsTree(creds.map(credentialLeaf));
  const rTree = rewardsTree(result.leaves);
  const fTree = feesTree(fees.leaves);
  const root = epochRoot(rTree.root, fTree?.root);
  const credentialsRoot = (cTree?.root ?? EMPTY_CREDENTIALS_ROOT) as Hex;
  const { windowStart } = base;
  const inputs: EpochInputs = {
    rules: EPOCH_RULES, epoch: epoch.toString(), epochCap: epochCap.toString(), pool: pool.toString(), windowStart, windowEnd, closeBlock: closeBlock.toString(),
    baseEpoch: base.baseEpoch.toString(), ...(base.baseLeaves ? { baseLeaves: base.baseLeaves } : {}),
    tiers: Object.fromEntries([...tiers].map(([k, v]) => [k.toString(), v])),
    owners: Object.fromEntries([...owners].map(([k, v]) => [k.toString(), v])),
    stakeSeconds: Object.fromEntries([...seconds].map(([k, v]) => [k.toString(), v.toString()])),
    buckets: { compute: result.buckets.compute.toString(), staking: result.buckets.staking.toString(), verify: result.buckets.verify.toString() },
    taskManager: chain.addresses.tasks.toLowerCase(),
    jobs: Object.fromEntries([...feeFacts.jobs].map(([j, t]) => [j, t.toString()])),
    tasks: Object.fromEntries([...feeFacts.tasks].map(([id, t]) => [id.toString(), { ...t, fee: t.fee.toString() }])),
  };
  await tx.epochClose.create({
    data: {
      chainId: chain.chainId, epoch, status: "closing", windowStart: new Date(windowStart * 1000), windowEnd: new Date(windowEnd * 1000), closeBlock,
      inputs: inputs as never, credentialsTree: cTree ? (cTree.dump() as never) : Prisma.DbNull, rewardsTree: rTree.dump() as never,
      feesTree: fTree ? (fTree.dump() as never) : Prisma.DbNull, credentialsRoot: credentialsRoot.toLowerCase(), rewardsRoot: root, total: result.total.toString(), workUnits: result.workUnits.toString(),
      credentialCount: creds.length,
    },
  });
  return {
    kind: "send", epoch, last: e.last, ids: facts.ids,
    args: [epoch, credentialsRoot, root, result.total, result.workUnits, creds.length] as const,
    summary: { total: result.total, credentialCount: creds.length, leaves: result.leaves.length, feeLeaves: fees.leaves.length },
  };
}

/**
 * Steps 2 and 3: posts a claimed epoch unless the chain moved meanwhile, then marks it posted and
 * seals its credentials. A post refused or reverted drops the claim (nothing is on the chain); one
 * that went out keeps it, since it may still land (see keepClaimAfter).
 */
async function postClaim(db: PrismaClient, chain: EpochChain, claim: Claim, log: Log): Promise<CloseResult> {
  const { epoch, last } = claim;
  const lastOnChain = () => ledgerReader(chain)<bigint>("lastEpoch");
  const unclaim = () => db.epochClose.deleteMany({ where: { chainId: chain.chainId, epoch, status: "closing" } });
  let hash: Hex;
  let sent = false;
  try {
    if ((await lastOnChain()) !== last) {
      await unclaim();
      return { status: "skipped", reason: `epoch ${epoch} was posted meanwhile`, epoch };
    }
    ({ hash } = await sendTx(chain, { address: chain.addresses.ledger, abi: contributionLedgerAbi, functionName: "postEpoch", args: claim.args }, { onSent: () => { sent = true; } }));
  } catch (e) {
    if (!keepClaimAfter(e, sent) && (await lastOnChain().catch(() => last)) === last) await unclaim(); // not on the chain: retry later from scratch
    throw e;
  }
  await db.$transaction([
    db.credential.updateMany({ where: { id: { in: claim.ids } }, data: { epoch } }),
    db.epochClose.update({ where: { chainId_epoch: { chainId: chain.chainId, epoch } }, data: { status: "posted", txHash: hash } }),
  ]);
  log(`epoch ${epoch} posted: ${claim.summary.credentialCount} credentials, ${claim.summary.leaves} reward leaves, ${claim.summary.feeLeaves} fee leaves, total ${claim.summary.total} (tx ${hash})`);
  return { status: "posted", epoch, txHash: hash, ...claim.summary };
}

/**
 * Whether a failed post's claim must stay: a post that went out may still land after any read (its
 * receipt was lost, not refused), so the next call completes it when the chain holds its roots, or
 * drops it once stale. Dropping it at once let a late post leave its credentials unsealed, to be
 * counted again. A post refused before sending, or mined and reverted, changed nothing.
 */
export function keepClaimAfter(error: unknown, sent: boolean): boolean {
  return sent && !(error instanceof TxRevertedError);
}
