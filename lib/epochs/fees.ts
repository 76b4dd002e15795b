import "server-only";
import type { Address, Hex } from "viem";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import type { PrismaClient } from "@/lib/db/client";
import { sendTx, type EpochChain } from "./chain";

/** Splits `budget` by weight, rounding down (the remainder is refunded to the creator by the contract). */
export function splitByWork(budget: bigint, work: ReadonlyMap<string, bigint>): { recipients: Address[]; amounts: bigint[] } {
  const sum = [...work.values()].reduce((s, w) => s + w, 0n);
  const recipients: Address[] = [];
  const amounts: bigint[] = [];
  if (sum === 0n) return { recipients, amounts };
  for (const [owner, w] of [...work].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const a = (budget * w) / sum;
    if (a === 0n) continue;
    recipients.push(owner as Address);
    amounts.push(a);
  }
  return { recipients, amounts };
}

/**
 * Pays a task's escrow to the owners of the job's accepted results (compute credentials), in
 * proportion to their accepted work. `complete`: the whole unspent fee, then `TaskManager.complete`
 * (the rounding remainder is refunded). `cancel` (the creator asked to cancel): accepted work is paid
 * first — the fee's share of the fragments accepted so far — via `settleCancel`, the rest is refunded.
 */
export async function payJobFees(
  db: PrismaClient,
  chain: EpochChain,
  p: { taskId: bigint; jobId: string; mode: "complete" | "cancel"; resultHash?: Hex },
): Promise<{ txHash: Hex; recipients: Address[]; amounts: bigint[] }> {
  const task = (await chain.client.readContract({ address: chain.addresses.tasks, abi: taskManagerAbi, functionName: "getTask", args: [p.taskId] })) as { fee: bigint; paid: bigint; fragmentCount: number };
  const accepted = await db.credential.findMany({ where: { chainId: chain.chainId, jobId: p.jobId, role: "compute" } });
  const work = new Map<string, bigint>();
  for (const c of accepted) work.set(c.owner, (work.get(c.owner) ?? 0n) + BigInt(c.workUnits.toFixed()));
  const left = task.fee - task.paid;
  const fragments = new Set(accepted.map((c) => c.fragmentId)).size;
  const budget = p.mode === "complete" ? left : (left * BigInt(Math.min(fragments, task.fragmentCount))) / BigInt(Math.max(1, task.fragmentCount));
  const { recipients, amounts } = splitByWork(budget, work);
  const { hash } = p.mode === "complete"
    ? await sendTx(chain, chain.addresses.tasks, taskManagerAbi, "complete", [p.taskId, p.resultHash ?? `0x${"0".repeat(64)}`, recipients, amounts])
    : await sendTx(chain, chain.addresses.tasks, taskManagerAbi, "settleCancel", [p.taskId, recipients, amounts]);
  return { txHash: hash, recipients, amounts };
}
