"use client";

import { useCallback } from "react";
import type { Address, Hex } from "viem";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import type { ContractTx } from "@/lib/chain/client";
import { useCxtFunds } from "@/components/wallet/use-cxt-funds";
import type { TxToastResult } from "@/components/wallet/use-tx-toast";

/** `provider` / `providerFeeBps`: the spec's dataset provider and share (zero address and 0 when none). */
export type TaskArgs = { specHash: Hex; fragmentCount: number; fee: string; minTier: number; provider?: Address; providerFeeBps?: number };
const NO_PROVIDER = "0x0000000000000000000000000000000000000000" as Address;
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
    address: addresses.taskManager, abi: taskManagerAbi, functionName: "createTask", args: [args.specHash, args.fragmentCount, fee, args.minTier, args.provider ?? NO_PROVIDER, args.providerFeeBps ?? 0],
  };
  return [
    ...(fee > 0n ? [{ label: "Approve the CXT fee", tx: approve as unknown as ContractTx }] : []),
    { label: "Create the task on chain", tx: create as unknown as ContractTx },
  ];
}

/**
 * Sends a job's createTask through the standard transaction toast, the CXT balance and allowance
 * checked first: a fee above the balance is refused before the wallet opens, and the fee is approved
 * only when the allowance is short. Each transaction is simulated first, so a revert is named (the
 * shared decoder) before the wallet prompts. Resolves with the last stage: `confirmed`, or the first
 * `failed` (the rest is not sent). `balance` is the wallet's CXT, for the form to say why it is disabled.
 */
export function useCreateTask(addresses: ContractAddresses | null) {
  const funds = useCxtFunds(addresses?.token, addresses?.taskManager);
  const { payAndSend } = funds;
  const createTask = useCallback(
    async (args: TaskArgs): Promise<TxToastResult> => {
      if (!addresses) return { stage: "failed", reason: "No TaskManager deployment for this chain." };
      const txs = createTaskTxs(addresses, args);
      const create = txs[txs.length - 1]!;
      return payAndSend(BigInt(args.fee), txs.length > 1 ? txs[0]!.label : "", create.label, create.tx);
    },
    [addresses, payAndSend],
  );
  return { createTask, busy: funds.busy, balance: funds.balance, step: funds.step };
}
