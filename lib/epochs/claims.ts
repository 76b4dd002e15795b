import "server-only";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Address, Hex } from "viem";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import type { PrismaClient } from "@/lib/db";
import { sendTx } from "@/lib/chain";
import type { EpochChain } from "./chain";
import type { RewardLeaf } from "./rules";

type ChainReader = Pick<EpochChain, "chainId" | "client" | "addresses">;

export type ClaimEntry = { nodeId: string; cumulativeAmount: string; cumulativeWorkUnits: string; claimed: string; claimable: string; proof: string[] };

/** Rewards leaves of `account` in the latest final epoch, with proofs and what is left to claim (chain's claimedOf). */
export async function getClaimable(db: PrismaClient, chain: ChainReader, account: string) {
  const acct = account.toLowerCase();
  const ledger = chain.addresses.ledger;
  const epoch = (await chain.client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName: "latestFinalEpoch" })) as bigint;
  const none = { account: acct, epoch: epoch === 0n ? null : Number(epoch), claims: [] as ClaimEntry[], claimable: "0" };
  if (epoch === 0n) return none;
  const close = await db.epochClose.findUnique({ where: { chainId_epoch: { chainId: chain.chainId, epoch } } });
  if (!close) return none;
  const tree = StandardMerkleTree.load<RewardLeaf>(close.rewardsTree as never);
  const claims: ClaimEntry[] = [];
  for (const [i, [a, nodeId, amount, work]] of tree.entries()) {
    if (a.toLowerCase() !== acct) continue;
    const done = (await chain.client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName: "claimedOf", args: [a as Address, BigInt(nodeId)] })) as { amount: bigint };
    const left = BigInt(amount) - done.amount;
    claims.push({ nodeId, cumulativeAmount: amount, cumulativeWorkUnits: work, claimed: done.amount.toString(), claimable: (left > 0n ? left : 0n).toString(), proof: tree.getProof(i) });
  }
  return { ...none, claims, claimable: claims.reduce((s, c) => s + BigInt(c.claimable), 0n).toString() };
}

/**
 * Relayer mode: the coordinator pushes every leaf of the latest final epoch with at least
 * `minAmount` unclaimed in one `claimMany` (it pays the gas; CXT still goes to each account).
 */
export async function relayClaims(db: PrismaClient, chain: EpochChain, opts: { minAmount?: bigint; maxClaims?: number } = {}): Promise<{ epoch: bigint; count: number; txHash?: Hex }> {
  const ledger = chain.addresses.ledger;
  const epoch = (await chain.client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName: "latestFinalEpoch" })) as bigint;
  const close = epoch === 0n ? null : await db.epochClose.findUnique({ where: { chainId_epoch: { chainId: chain.chainId, epoch } } });
  if (!close) return { epoch, count: 0 };
  const tree = StandardMerkleTree.load<RewardLeaf>(close.rewardsTree as never);
  const batch = [];
  for (const [i, [a, nodeId, amount, work]] of tree.entries()) {
    const done = (await chain.client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName: "claimedOf", args: [a as Address, BigInt(nodeId)] })) as { amount: bigint };
    if (BigInt(amount) - done.amount <= (opts.minAmount ?? 0n)) continue;
    batch.push({ epoch, account: a as Address, nodeId: BigInt(nodeId), cumulativeAmount: BigInt(amount), cumulativeWorkUnits: BigInt(work), proof: tree.getProof(i) as Hex[] });
    if (batch.length >= (opts.maxClaims ?? 100)) break;
  }
  if (!batch.length) return { epoch, count: 0 };
  const { hash } = await sendTx(chain, { address: ledger, abi: contributionLedgerAbi, functionName: "claimMany", args: [batch] });
  return { epoch, count: batch.length, txHash: hash };
}
