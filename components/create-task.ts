"use client";

import { useCallback } from "react";
import type { Address, Hex } from "viem";
import { usePublicClient, useWriteContract } from "wagmi";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { taskManagerAbi } from "@/contracts-abi/task-manager";

export type TaskArgs = { specHash: Hex; fragmentCount: number; fee: string; minTier: number };
export type ContractAddresses = { taskManager: Address; token: Address };

/**
 * Sends TaskManager.createTask for a job (approving the CXT fee first when there is one) and waits
 * for the receipt. Uses the generated typed ABIs, so a contract signature change fails typecheck.
 */
export function useCreateTask(addresses: ContractAddresses | null) {
  const { writeContractAsync } = useWriteContract();
  const client = usePublicClient();
  return useCallback(
    async (args: TaskArgs, onStep?: (step: string) => void) => {
      if (!addresses || !client) throw new Error("no TaskManager deployment for this chain");
      const fee = BigInt(args.fee);
      if (fee > 0n) {
        onStep?.("Approve the CXT fee in your wallet…");
        const approve = await writeContractAsync({ address: addresses.token, abi: cxtTokenAbi, functionName: "approve", args: [addresses.taskManager, fee] });
        await client.waitForTransactionReceipt({ hash: approve });
      }
      onStep?.("Confirm createTask in your wallet…");
      const hash = await writeContractAsync({
        address: addresses.taskManager,
        abi: taskManagerAbi,
        functionName: "createTask",
        args: [args.specHash, args.fragmentCount, fee, args.minTier],
      });
      onStep?.("Waiting for the transaction…");
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error("createTask reverted");
      return hash;
    },
    [addresses, client, writeContractAsync],
  );
}
