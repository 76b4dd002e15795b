import "server-only";
import type { Address, Hex } from "viem";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import type { PrismaClient } from "@/lib/db";
import { revertReason } from "@/lib/chain";
import { sendTx } from "@/lib/chain";
import type { EpochChain } from "./chain";

/** TaskManager.Status: None, Open, Completed, Cancelled. */
const TASK_OPEN = 1;
type ChainTask = { creator: Address; status: number; fee: bigint; cancelRequestedAt: bigint };

/** pg advisory lock class of cancellation settlements ('CANC'); the second key is the chain id. */
const LOCK_CLASS = 0x43414e43;

export type CancelSettlement =
  | { jobId: string; taskId: bigint; status: "settled"; txHash: Hex }
  | { jobId: string; taskId: bigint; status: "skipped" | "failed"; reason: string };

/**
 * Settles every cancellation a creator requested (`TaskManager.cancelTask` → CancelRequested, seen in
 * the mirror): the job stops training at once (its open and leased slots are closed, so nothing more
 * is claimed and live leases are released), then `settleCancel` closes the task. No money moves here:
 * the accepted work's fee leaves and the creator's refund leaf come with the next epoch (computeFees).
 * Exactly once across instances and retries: each task is settled under an advisory lock held until
 * the receipt, and the chain is read before sending — a task that is no longer open (settled by an
 * earlier pass or another instance, or cancelled by its creator after the grace period) or whose
 * cancel request is not on the chain (a reorg) is skipped; the contract would refuse a second
 * settlement anyway (TaskNotOpen).
 */
export async function settleCancelledJobs(db: PrismaClient, chain: EpochChain, opts: { log?: (s: string) => void } = {}): Promise<CancelSettlement[]> {
  const log = opts.log ?? (() => {});
  const requested = await db.$queryRaw<{ id: string; task_id: bigint }[]>`
    SELECT j.id, j.task_id FROM jobs j
    JOIN tasks t ON t.chain_id = j.chain_id AND t.task_id = j.task_id
    WHERE j.chain_id = ${chain.chainId} AND j.status IN ('active', 'cancelled', 'failed')
      AND t.status = 'open' AND t.cancel_reclaimable_at IS NOT NULL
    ORDER BY j.task_id`;
  const out: CancelSettlement[] = [];
  for (const { id: jobId, task_id: taskId } of requested) {
    await stopTraining(db, jobId);
    const r = await db.$transaction(async (tx): Promise<CancelSettlement> => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_CLASS}::int, ${chain.chainId}::int)`;
      const task = (await chain.client.readContract({ address: chain.addresses.tasks, abi: taskManagerAbi, functionName: "getTask", args: [taskId] })) as ChainTask;
      if (task.status !== TASK_OPEN) return { jobId, taskId, status: "skipped", reason: `task ${taskId} is no longer open on the chain` };
      if (task.cancelRequestedAt === 0n) return { jobId, taskId, status: "skipped", reason: `task ${taskId} has no cancellation request on the chain` };
      try {
        const { hash } = await sendTx(chain, { address: chain.addresses.tasks, abi: taskManagerAbi, functionName: "settleCancel", args: [taskId] });
        return { jobId, taskId, status: "settled", txHash: hash };
      } catch (e) {
        return { jobId, taskId, status: "failed", reason: revertReason(e) };
      }
    }, { timeout: 60_000, maxWait: 30_000 });
    if (r.status === "settled") log(`job ${jobId} (task ${taskId}) cancelled (tx ${r.txHash}): its accepted work and the creator's refund are paid through the next epoch`);
    if (r.status === "failed") log(`settling the cancellation of task ${taskId} failed: ${r.reason}`);
    out.push(r);
  }
  return out;
}

/**
 * A job whose creator asked to cancel trains no further: it is marked cancelled and its open and
 * leased replica slots are closed (claims skip them; heartbeats and results on them get 409).
 * Results already submitted are still verified; fee leaves follow what is accepted until the refund leaf.
 */
async function stopTraining(db: PrismaClient, jobId: string): Promise<void> {
  await db.$transaction([
    db.job.updateMany({ where: { id: jobId, status: "active" }, data: { status: "cancelled", finishedAt: new Date() } }),
    db.replicaSlot.updateMany({ where: { jobId, state: { in: ["open", "leased"] } }, data: { state: "cancelled" } }),
  ]);
}
