// TaskManager: the task escrow (created; fee and refund claims settled through the epoch root, each
// event carrying the task's resulting `taskPaid`; completion and cancellation, which only close it).
import type { BatchStore } from "../store";
import type { Row } from "../tables";
import { addr, hex, isoSeconds, must, num, sub, ZERO } from "./common";
import type { ContractHandlers, EventMeta, Keys, TypedEvent } from "./types";

type TaskEvent = EventMeta & { args: { taskId: bigint } };

const taskKey = (e: TaskEvent): Keys => [["tasks", { task_id: num(e.args.taskId) }]];

function updateTask(s: BatchStore, e: TaskEvent, patch: (t: Row) => Row) {
  const t = must(s.get("tasks", { task_id: num(e.args.taskId) }), `task ${num(e.args.taskId)}`, e);
  s.put("tasks", { ...t, ...patch(t), updated_block: num(e.blockNumber) }, e.blockNumber);
}

function payout(s: BatchStore, e: TaskEvent & { args: { amount: bigint; epoch: bigint } }, recipient: unknown, kind: "fee" | "refund", cumulative: bigint) {
  s.put(
    "task_payouts",
    {
      block_number: num(e.blockNumber),
      log_index: e.logIndex,
      tx_hash: e.txHash,
      task_id: num(e.args.taskId),
      recipient: addr(recipient),
      amount: num(e.args.amount),
      kind,
      epoch: num(e.args.epoch),
      cumulative: num(cumulative),
      timestamp: e.timestamp,
    },
    e.blockNumber,
  );
}

function taskCreated(e: TypedEvent<"TaskManager", "TaskCreated">, s: BatchStore) {
  s.put(
    "tasks",
    {
      task_id: num(e.args.taskId),
      creator: addr(e.args.creator),
      spec_hash: hex(e.args.specHash),
      fragment_count: Number(e.args.fragmentCount),
      fee: num(e.args.fee),
      min_tier: Number(e.args.minTier),
      status: "open",
      paid: "0",
      refunded: "0",
      result_hash: null,
      cancel_reclaimable_at: null,
      provider: addr(e.args.provider) === ZERO ? null : addr(e.args.provider),
      provider_fee_bps: Number(e.args.providerFeeBps),
      closed_at: null,
      created_at: e.timestamp,
      created_block: num(e.blockNumber),
      created_tx: e.txHash,
      updated_block: num(e.blockNumber),
    },
    e.blockNumber,
  );
}

export const taskManagerHandlers: ContractHandlers<"TaskManager"> = {
  TaskCreated: { keys: taskKey, apply: taskCreated },
  // taskPaid is everything out of the escrow after the claim: paid = taskPaid − refunded (no running sums).
  FeeClaimed: {
    keys: taskKey,
    apply(e, s) {
      updateTask(s, e, (t) => ({ paid: sub(num(e.args.taskPaid), t.refunded) }));
      payout(s, e, e.args.account, "fee", e.args.cumulativeFee);
    },
  },
  RefundClaimed: {
    keys: taskKey,
    apply(e, s) {
      let refunded = "0";
      updateTask(s, e, (t) => ({ refunded: (refunded = sub(num(e.args.taskPaid), t.paid)) }));
      payout(s, e, e.args.creator, "refund", BigInt(refunded));
    },
  },
  TaskCompleted: {
    keys: taskKey,
    apply: (e, s) => updateTask(s, e, () => ({ status: "completed", result_hash: hex(e.args.resultHash), closed_at: e.timestamp })),
  },
  CancelRequested: {
    keys: taskKey,
    apply: (e, s) => updateTask(s, e, () => ({ cancel_reclaimable_at: isoSeconds(e.args.reclaimableAt) })),
  },
  // `complete` dropped a pending request (the chain's cancelRequestedAt is 0 again).
  CancelCleared: { keys: taskKey, apply: (e, s) => updateTask(s, e, () => ({ cancel_reclaimable_at: null })) },
  TaskCancelled: {
    keys: taskKey,
    apply: (e, s) => updateTask(s, e, () => ({ status: "cancelled", closed_at: e.timestamp })),
  },
};
