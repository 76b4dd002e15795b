"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { isAddress, parseUnits, zeroAddress, type Address } from "viem";
import { useTxToast } from "@/components/wallet/use-tx-toast";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";

export type NodeActionsProps = { nodeId: string; owner: string; active: boolean; staking: Address; token: Address; canWithdraw: boolean; delegate: string };

/** "12.5" CXT → wei, or a message saying what is wrong with the amount. */
function parseCxt(text: string): bigint | string {
  const t = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(t)) return "Enter an amount in CXT, e.g. 100 or 12.5.";
  const wei = parseUnits(t, 18);
  return wei > 0n ? wei : "The amount must be more than 0.";
}

/**
 * The owner's stake, unstake, withdraw and delegate transactions with the amounts typed for them; the
 * page refreshes after each one that was sent, so the mirrored figures follow.
 */
export function useNodeActions(p: NodeActionsProps) {
  const router = useRouter();
  const { send, busy } = useTxToast();
  const [stakeAmount, setStakeAmount] = useState("");
  const [unstakeAmount, setUnstakeAmount] = useState("");
  const [delegateTo, setDelegateTo] = useState("");
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const nodeId = BigInt(p.nodeId);

  const done = () => router.refresh();

  async function stake() {
    const amount = parseCxt(stakeAmount);
    if (typeof amount === "string") return setError({ field: "stake", message: amount });
    setError(null);
    const approved = await send("Approve CXT for staking", { address: p.token, abi: cxtTokenAbi, functionName: "approve", args: [p.staking, amount] });
    if (approved.stage !== "confirmed") return;
    const res = await send(`Stake ${stakeAmount} CXT`, { address: p.staking, abi: stakingAbi, functionName: "stake", args: [nodeId, amount] });
    if (res.stage === "confirmed") setStakeAmount("");
    done();
  }

  async function unstake() {
    const amount = parseCxt(unstakeAmount);
    if (typeof amount === "string") return setError({ field: "unstake", message: amount });
    setError(null);
    const res = await send(`Request unstake of ${unstakeAmount} CXT`, { address: p.staking, abi: stakingAbi, functionName: "requestUnstake", args: [nodeId, amount] });
    if (res.stage === "confirmed") setUnstakeAmount("");
    done();
  }

  async function withdraw() {
    await send("Withdraw released stake", { address: p.staking, abi: stakingAbi, functionName: "withdraw", args: [nodeId] });
    done();
  }

  async function delegate() {
    const to = delegateTo.trim();
    if (to && !isAddress(to)) return setError({ field: "delegate", message: "Enter a 0x address, or leave it empty to count your weight for yourself." });
    setError(null);
    await send(to ? `Delegate weight to ${to.slice(0, 8)}…` : "Take back your weight", { address: p.staking, abi: stakingAbi, functionName: "delegate", args: [(to || zeroAddress) as Address] });
    done();
  }

  return { busy, stakeAmount, setStakeAmount, unstakeAmount, setUnstakeAmount, delegateTo, setDelegateTo, error, stake, unstake, withdraw, delegate };
}
