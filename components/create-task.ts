"use client";

import { useCallback } from "react";
import type { Address, Hex } from "viem";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import type { ContractTx } from "@/lib/chain/client";
import { useTxToast, type TxToastResult } from "@/components/wallet/use-tx-toast";

export type TaskArgs = { specHash: Hex; fragmentCount: number; fee: string; minTier: number };
export type ContractAddresses = { taskManager: Address; token: Address };

/**
 * The transactions that put a job on chain, in order, each with its toast label: approving the CXT
 * fee when there is one, then TaskManager.createTask. Typed by the generated ABIs, so a contract
 * signature change fails typecheck.
 */
export function createTaskTxs(addresses: ContractAddresses, args: TaskArgs): { label: string; tx: ContractTx }[] {
  const fee = BigInt(args.fee);
  const approve: ContractTx<typeof cxtTokenAbi, "approve"> = { address: addresses.token, abi: cxtTokenAbi, functionName: "approve", args: [addresses.taskManager, fee] };
  const create: ContractTx<typeof taskManagerAbi, "createTask"> = {
    address: addresses.taskManager, abi: taskManagerAbi, functionName: "createTask", args: [args.specHash, args.fragmentCount, fee, args.minTier],
  };
  return [
    ...(fee > 0n ? [{ label: "Approve the CXT fee", tx: approve as unknown as ContractTx }] : []),
    { label: "Create the task on chain", tx: create as unknown as ContractTx },
  ];
}

/**
 * Sends a job's createTask (approving the fee first) through the standard transaction toast: each
 * transaction is simulated first, so a revert is named (shared decoder) before the wallet prompts.
 * Resolves with the last stage: `confirmed`, or the first `failed` (the rest is not sent).
 */
export function useCreateTask(addresses: ContractAddresses | null) {
  const { send, busy } = useTxToast();
  const createTask = useCallback(
    async (args: TaskArgs): Promise<TxToastResult> => {
      if (!addresses) return { stage: "failed", reason: "No TaskManager deployment for this chain." };
      let last: TxToastResult = { stage: "failed", reason: "nothing to send" };
      for (const { label, tx } of createTaskTxs(addresses, args)) {
        last = await send(label, tx);
        if (last.stage === "failed") break;
      }
      return last;
    },
    [addresses, send],
  );
  return { createTask, busy };
}
