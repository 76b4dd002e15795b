"use client";

import { useCallback } from "react";
import { createTaskTxs, type ContractAddresses, type TaskArgs } from "@/lib/jobs/client";
import { useCxtFunds } from "@/components/wallet/use-cxt-funds";
import type { TxToastResult } from "@/components/wallet/use-tx-toast";

// The transactions themselves live in lib/jobs (the `corex` CLI sends the same ones).
export { createTaskTxs, type ContractAddresses, type TaskArgs };

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
