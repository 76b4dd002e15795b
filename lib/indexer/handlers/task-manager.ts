// TaskManager: the task escrow (created, fees paid to workers, refunds, completion, cancellation).
import type { BatchStore } from "../store";
import type { Row } from "../tables";
import { add, addr, hex, isoSeconds, must, num } from "./common";
import type { ContractHandlers, EventMeta, Keys, TypedEvent } from "./types";

type TaskEvent = EventMeta & { args: { taskId: bigint } };

const taskKey = (e: TaskEvent): Keys => [["tasks", { task_id: num(e.args.taskId) }]];

function updateTask(s: BatchStore, e: TaskEvent, patch: (t: Row) => Row) {
  const t = must(s.get("tasks", { task_id: num(e.args.taskId) }), `task ${num(e.args.taskId)}`, e);
  s.put("tasks", { ...t, ...patch(t), updated_block: num(e.blockNumber) }, e.blockNumber);
}

function payout(s: BatchStore, e: TaskEvent & { args: { amount: bigint } }, recipient: unknown, kind: "fee" | "refund") {
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
  FeePaid: {
    keys: taskKey,
    apply(e, s) {
      updateTask(s, e, (t) => ({ paid: add(t.paid, e.args.amount) }));
      payout(s, e, e.args.recipient, "fee");
    },
  },
  FeeRefunded: {
    keys: taskKey,
    apply(e, s) {
      updateTask(s, e, (t) => ({ refunded: add(t.refunded, e.args.amount) }));
      payout(s, e, e.args.creator, "refund");
    },
  },
  TaskCompleted: {
    keys: taskKey,
    apply: (e, s) => updateTask(s, e, () => ({ status: "completed", result_hash: hex(e.args.resultHash), paid: num(e.args.totalPaid) })),
  },
  CancelRequested: {
    keys: taskKey,
    apply: (e, s) => updateTask(s, e, () => ({ cancel_reclaimable_at: isoSeconds(e.args.reclaimableAt) })),
  },
  // `complete` dropped a pending request (the chain's cancelRequestedAt is 0 again).
  CancelCleared: { keys: taskKey, apply: (e, s) => updateTask(s, e, () => ({ cancel_reclaimable_at: null })) },
  TaskCancelled: {
    keys: taskKey,
    apply: (e, s) => updateTask(s, e, () => ({ status: "cancelled", paid: num(e.args.totalPaid) })),
  },
};
