import "server-only";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Address, Hex } from "viem";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { notFound } from "@/lib/api";
import { Prisma, type PrismaClient } from "@/lib/db";
import { sendTx } from "@/lib/chain";
import type { EpochChain } from "./chain";
import { epochProof, type FeeLeaf, type RewardLeaf } from "./rules";

type ChainReader = Pick<EpochChain, "chainId" | "client" | "addresses">;

export type ClaimEntry = { nodeId: string; cumulativeAmount: string; cumulativeWorkUnits: string; claimed: string; claimable: string; proof: string[] };
/**
 * A task fee leaf of the account (kind "fee": its pay for accepted work or its provider share; "refund":
 * its refund as the task's creator), claimed with TaskManager.claimFee / claimRefund.
 */
export type FeeClaimEntry = { kind: FeeLeaf[0]; taskId: string; cumulativeAmount: string; claimed: string; claimable: string; proof: string[] };

type Trees = { rewards: StandardMerkleTree<RewardLeaf>; fees: StandardMerkleTree<FeeLeaf> | null };

/** The ledger's latest final epoch (0n: none yet): claims prove against its root. */
export async function readFinalEpoch(chain: ChainReader): Promise<bigint> {
  return (await chain.client.readContract({ address: chain.addresses.ledger, abi: contributionLedgerAbi, functionName: "latestFinalEpoch" })) as bigint;
}

/** The latest final epoch and its stored trees (null when none, or not closed by this coordinator). */
async function finalTrees(db: PrismaClient, chain: ChainReader): Promise<{ epoch: bigint; trees: Trees | null }> {
  const epoch = await readFinalEpoch(chain);
  const close = epoch === 0n ? null : await db.epochClose.findUnique({ where: { chainId_epoch: { chainId: chain.chainId, epoch } } });
  if (!close) return { epoch, trees: null };
  return {
    epoch,
    trees: {
      rewards: StandardMerkleTree.load<RewardLeaf>(close.rewardsTree as never),
      fees: close.feesTree ? StandardMerkleTree.load<FeeLeaf>(close.feesTree as never) : null,
    },
  };
}

type TaskPaid = { refunded: bigint };

/** What TaskManager has paid of a fee leaf: feePaidTo for a fee, the task's refunded for a refund. */
async function feeClaimed(chain: ChainReader, [kind, taskId, account]: FeeLeaf): Promise<bigint> {
  const tasks = chain.addresses.tasks;
  if (kind === "fee") return (await chain.client.readContract({ address: tasks, abi: taskManagerAbi, functionName: "feePaidTo", args: [BigInt(taskId), account as Address] })) as bigint;
  return ((await chain.client.readContract({ address: tasks, abi: taskManagerAbi, functionName: "getTask", args: [BigInt(taskId)] })) as TaskPaid).refunded;
}

/**
 * Reward leaves and task fee leaves of `account` in the latest final epoch, with proofs (extended to the
 * epoch root) and what is left to claim (the chain's claimedOf / feePaidTo / refunded). `claimable` is CXT
 * to mint; `feesClaimable` CXT to be paid out of task escrows.
 */
export async function getClaimable(db: PrismaClient, chain: ChainReader, account: string) {
  const acct = account.toLowerCase();
  const ledger = chain.addresses.ledger;
  const { epoch, trees } = await finalTrees(db, chain);
  const none = { account: acct, epoch: epoch === 0n ? null : Number(epoch), claims: [] as ClaimEntry[], claimable: "0", fees: [] as FeeClaimEntry[], feesClaimable: "0" };
  if (!trees) return none;
  const claims: ClaimEntry[] = [];
  for (const [i, [a, nodeId, amount, work]] of trees.rewards.entries()) {
    if (a.toLowerCase() !== acct) continue;
    const done = (await chain.client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName: "claimedOf", args: [a as Address, BigInt(nodeId)] })) as { amount: bigint };
    const left = BigInt(amount) - done.amount;
    claims.push({
      nodeId, cumulativeAmount: amount, cumulativeWorkUnits: work, claimed: done.amount.toString(), claimable: (left > 0n ? left : 0n).toString(),
      proof: epochProof(trees.rewards.getProof(i), trees.fees?.root),
    });
  }
  const fees: FeeClaimEntry[] = [];
  for (const [i, leaf] of trees.fees?.entries() ?? []) {
    if (leaf[2].toLowerCase() !== acct) continue;
    const done = await feeClaimed(chain, leaf);
    const left = BigInt(leaf[3]) - done;
    fees.push({ kind: leaf[0], taskId: leaf[1], cumulativeAmount: leaf[3], claimed: done.toString(), claimable: (left > 0n ? left : 0n).toString(), proof: epochProof(trees.fees!.getProof(i), trees.rewards.root) });
  }
  const sum = (xs: { claimable: string }[]) => xs.reduce((s, c) => s + BigInt(c.claimable), 0n).toString();
  return { ...none, claims, claimable: sum(claims), fees, feesClaimable: sum(fees) };
}

/**
 * Relayer mode: the coordinator pushes every leaf of the latest final epoch with at least
 * `minAmount` unclaimed in one `claimMany` (it pays the gas; CXT still goes to each account), then
 * every unclaimed task fee and refund leaf, one claimFee / claimRefund each (TaskManager pays only the
 * account or creator the leaf names).
 */
export async function relayClaims(db: PrismaClient, chain: EpochChain, opts: { minAmount?: bigint; maxClaims?: number } = {}): Promise<{ epoch: bigint; count: number; txHash?: Hex; fees: number }> {
  const ledger = chain.addresses.ledger;
  const { epoch, trees } = await finalTrees(db, chain);
  if (!trees) return { epoch, count: 0, fees: 0 };
  const max = opts.maxClaims ?? 100;
  const batch = [];
  for (const [i, [a, nodeId, amount, work]] of trees.rewards.entries()) {
    const done = (await chain.client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName: "claimedOf", args: [a as Address, BigInt(nodeId)] })) as { amount: bigint };
    if (BigInt(amount) - done.amount <= (opts.minAmount ?? 0n)) continue;
    batch.push({ epoch, account: a as Address, nodeId: BigInt(nodeId), cumulativeAmount: BigInt(amount), cumulativeWorkUnits: BigInt(work), proof: epochProof(trees.rewards.getProof(i), trees.fees?.root) });
    if (batch.length >= max) break;
  }
  let txHash: Hex | undefined;
  if (batch.length) ({ hash: txHash } = await sendTx(chain, { address: ledger, abi: contributionLedgerAbi, functionName: "claimMany", args: [batch] }));
  let fees = 0;
  for (const [i, leaf] of trees.fees?.entries() ?? []) {
    if (fees >= max) break;
    if (BigInt(leaf[3]) - (await feeClaimed(chain, leaf)) <= (opts.minAmount ?? 0n)) continue;
    const proof = epochProof(trees.fees!.getProof(i), trees.rewards.root);
    const [kind, taskId, account, amount] = leaf;
    if (kind === "fee") await sendTx(chain, { address: chain.addresses.tasks, abi: taskManagerAbi, functionName: "claimFee", args: [epoch, BigInt(taskId), account as Address, BigInt(amount), proof] });
    else await sendTx(chain, { address: chain.addresses.tasks, abi: taskManagerAbi, functionName: "claimRefund", args: [epoch, BigInt(taskId), BigInt(amount), proof] });
    fees += 1;
  }
  return { epoch, count: batch.length, ...(txHash ? { txHash } : {}), fees };
}

export type JobFeeRow = { account: string; kind: FeeLeaf[0]; earned: string; paid: string; owed: string };

/**
 * A job's task fees per contributor: what the latest epoch closed here commits to each account (fee
 * leaves: accepted work, the dataset provider's share; the creator's refund leaf) and what the mirror
 * saw TaskManager pay it (FeeClaimed / RefundClaimed). `epoch`: that epoch (its leaves are claimable
 * once it is final); `owed` = earned − paid.
 */
export async function getJobFees(db: PrismaClient, jobId: string) {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { taskId: true, chainId: true } });
  if (!job) throw notFound(`no job ${jobId}`);
  const { chainId } = job;
  const none = { jobId, taskId: null as string | null, fee: "0", paid: "0", refunded: "0", provider: null as string | null, providerFeeBps: 0, epoch: null as number | null, contributors: [] as JobFeeRow[] };
  if (job.taskId === null) return none;
  const task = await db.task.findUnique({ where: { chainId_taskId: { chainId, taskId: job.taskId } } });
  const close = await db.epochClose.findFirst({ where: { chainId, status: "posted", feesTree: { not: Prisma.DbNull } }, orderBy: { epoch: "desc" } });
  const earned = new Map<string, { kind: FeeLeaf[0]; amount: bigint }>();
  const id = job.taskId.toString();
  for (const v of ((close?.feesTree as { values: { value: FeeLeaf }[] } | null)?.values ?? [])) {
    if (v.value[1] === id) earned.set(`${v.value[0]}:${v.value[2].toLowerCase()}`, { kind: v.value[0], amount: BigInt(v.value[3]) });
  }
  const paid = new Map<string, bigint>();
  for (const p of await db.taskPayout.findMany({ where: { chainId, taskId: job.taskId } })) {
    const k = `${p.kind}:${p.recipient}`;
    paid.set(k, (paid.get(k) ?? 0n) + BigInt(p.amount.toFixed()));
    if (!earned.has(k)) earned.set(k, { kind: p.kind as FeeLeaf[0], amount: 0n });
  }
  const contributors = [...earned].map(([k, e]): JobFeeRow => {
    const p = paid.get(k) ?? 0n;
    const e2 = e.amount > p ? e.amount : p;
    return { account: k.slice(k.indexOf(":") + 1), kind: e.kind, earned: e2.toString(), paid: p.toString(), owed: (e2 - p).toString() };
  }).sort((a, b) => (a.kind === b.kind ? (a.account < b.account ? -1 : 1) : a.kind === "fee" ? -1 : 1));
  return {
    ...none, taskId: id, fee: task?.fee.toFixed() ?? "0", paid: task?.paid.toFixed() ?? "0", refunded: task?.refunded.toFixed() ?? "0",
    provider: task?.provider ?? null, providerFeeBps: task?.providerFeeBps ?? 0, epoch: close ? Number(close.epoch) : null, contributors,
  };
}
