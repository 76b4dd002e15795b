"use client";

import { useCallback, useState } from "react";
import type { Address } from "viem";
import { useAccount, useReadContract } from "wagmi";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { useTargetChain, type ContractTx } from "@/lib/chain/client";
import { formatCxtWithUnit } from "@/lib/format/client";
import { useTxToast, type TxToastResult } from "./use-tx-toast";

/** Why `amount` cannot be paid from `balance`, in the words the disabled button shows; null when it can. */
export function fundsProblem(amount: bigint | null, balance: bigint | undefined): string | null {
  if (amount === null || amount === 0n || balance === undefined) return null;
  return amount > balance ? "Insufficient CXT balance" : null;
}

/** The longer line beside a disabled button: how much is needed and how much the wallet holds. */
export function fundsDetail(amount: bigint, balance: bigint): string {
  return `This needs ${formatCxtWithUnit(amount)}; the wallet holds ${formatCxtWithUnit(balance)}.`;
}

/**
 * The connected wallet's CXT balance and its allowance for `spender`, read from the token, and a
 * send that checks both before the wallet opens: it refuses (no prompt) when the balance is short,
 * approves only when the allowance is, then sends the action — telling which step of how many runs.
 */
export function useCxtFunds(token: Address | undefined, spender: Address | undefined) {
  const { address } = useAccount();
  const chain = useTargetChain();
  const { send, busy } = useTxToast();
  const [step, setStep] = useState<{ index: number; total: number; label: string } | null>(null);
  const enabled = Boolean(token && spender && address);
  const balance = useReadContract({ address: token, abi: cxtTokenAbi, functionName: "balanceOf", args: [address as Address], chainId: chain.id, query: { enabled } });
  const allowance = useReadContract({ address: token, abi: cxtTokenAbi, functionName: "allowance", args: [address as Address, spender as Address], chainId: chain.id, query: { enabled } });
  const { refetch: refetchBalance } = balance;
  const { refetch: refetchAllowance } = allowance;

  const refetch = useCallback(() => Promise.all([refetchBalance(), refetchAllowance()]), [refetchBalance, refetchAllowance]);

  const payAndSend = useCallback(
    async (amount: bigint, approveLabel: string, label: string, tx: ContractTx): Promise<TxToastResult> => {
      if (!token || !spender) return { stage: "failed", reason: "No CXT token deployment for this chain." };
      // Fresh figures, not the cached ones: the check happens before anything is signed.
      const [b, a] = await refetch();
      const have = b.data ?? 0n;
      if (amount > have) return { stage: "failed", reason: `Insufficient CXT balance. ${fundsDetail(amount, have)}` };
      const approve = amount > 0n && (a.data ?? 0n) < amount;
      const total = approve ? 2 : 1;
      try {
        if (approve) {
          setStep({ index: 1, total, label: approveLabel });
          const approved = await send(approveLabel, { address: token, abi: cxtTokenAbi, functionName: "approve", args: [spender, amount] });
          if (approved.stage !== "confirmed") return approved;
        }
        setStep({ index: total, total, label });
        return await send(label, tx);
      } finally {
        setStep(null);
        void refetch();
      }
    },
    [refetch, send, spender, token],
  );

  return { balance: balance.data, allowance: allowance.data, refetch, payAndSend, step, busy: busy || step !== null };
}

/** "Step 1 of 2: Approve CXT for staking" while a funded send runs. */
export function StepIndicator({ step }: { step: { index: number; total: number; label: string } | null }) {
  if (!step) return null;
  return (
    <p role="status" className="mt-2 text-xs text-muted" data-testid="tx-step">
      Step {step.index} of {step.total}: {step.label}…
    </p>
  );
}
