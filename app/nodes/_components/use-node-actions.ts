"use client";

import { useState } from "react";
import { formatUnits, isAddress, zeroAddress, type Address } from "viem";
import { fundsProblem, useCxtFunds } from "@/components/wallet/use-cxt-funds";
import { useMirrorRefresh } from "@/components/wallet/use-mirror-refresh";
import { useTxToast, type TxToastResult } from "@/components/wallet/use-tx-toast";
import { stakingAbi } from "@/contracts-abi/staking";
import { formatCxtWithUnit } from "@/lib/format/client";
import { parseCxt, tierPreview } from "./stake-preview";

export { parseCxt, tierPreview };

export type NodeActionsProps = {
  nodeId: string;
  owner: string;
  active: boolean;
  staking: Address;
  token: Address;
  canWithdraw: boolean;
  hasTranches: boolean;
  delegate: string;
  /** the node's active stake (wei) and verified work (FLOP), for the tier preview */
  stake: string;
  workUnits: string;
};

/**
 * The owner's stake, unstake, withdraw and delegate transactions with the amounts typed for them.
 * Staking checks the CXT balance and allowance before the wallet opens (approving only when needed).
 * After a confirmed transaction the page waits for the chain mirror to record its block, then refreshes.
 */
export function useNodeActions(p: NodeActionsProps) {
  const { send, busy: sending } = useTxToast();
  const funds = useCxtFunds(p.token, p.staking);
  const mirror = useMirrorRefresh();
  const [stakeAmount, setStakeAmount] = useState("");
  const [unstakeAmount, setUnstakeAmount] = useState("");
  const [delegateTo, setDelegateTo] = useState("");
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const nodeId = BigInt(p.nodeId);
  const typed = parseCxt(stakeAmount);
  const stakeWei = typeof typed === "bigint" ? typed : null;

  const after = (res: TxToastResult, done?: string) => {
    if (res.stage !== "confirmed") return;
    if (done) setResult(done);
    void mirror.afterBlock(res.receipt.blockNumber, funds.refetch);
  };

  async function stake() {
    const amount = parseCxt(stakeAmount);
    if (typeof amount === "string") return setError({ field: "stake", message: amount });
    setError(null);
    setResult(null);
    const preview = tierPreview(p, amount);
    const res = await funds.payAndSend(amount, "Approve CXT for staking", `Stake ${stakeAmount} CXT`, { address: p.staking, abi: stakingAbi, functionName: "stake", args: [nodeId, amount] });
    if (res.stage === "failed" && !res.hash && res.reason.startsWith("Insufficient")) setError({ field: "stake", message: res.reason });
    if (res.stage === "confirmed") setStakeAmount("");
    const reached = preview?.includes("reached") ? ` — ${preview.split(" — ")[1].replace(/\.$/, "")}` : "";
    after(res, `Staked ${formatCxtWithUnit(amount)} on node #${p.nodeId}${reached}.`);
  }

  async function unstake() {
    const amount = parseCxt(unstakeAmount);
    if (typeof amount === "string") return setError({ field: "unstake", message: amount });
    setError(null);
    setResult(null);
    const res = await send(`Request unstake of ${unstakeAmount} CXT`, { address: p.staking, abi: stakingAbi, functionName: "requestUnstake", args: [nodeId, amount] });
    if (res.stage === "confirmed") setUnstakeAmount("");
    after(res, `Requested the unstake of ${formatCxtWithUnit(amount)}: it unbonds before you can withdraw it.`);
  }

  async function withdraw() {
    setResult(null);
    after(await send("Withdraw released stake", { address: p.staking, abi: stakingAbi, functionName: "withdraw", args: [nodeId] }), "Withdrew the released stake to your wallet.");
  }

  async function delegate() {
    const to = delegateTo.trim();
    if (to && !isAddress(to)) return setError({ field: "delegate", message: "Enter a 0x address, or leave it empty to count your weight for yourself." });
    setError(null);
    setResult(null);
    const res = await send(to ? `Delegate weight to ${to.slice(0, 8)}…` : "Take back your weight", { address: p.staking, abi: stakingAbi, functionName: "delegate", args: [(to || zeroAddress) as Address] });
    after(res, to ? `Your governance weight now counts for ${to}.` : "Your governance weight counts for yourself again.");
  }

  const max = () => funds.balance !== undefined && setStakeAmount(formatUnits(funds.balance, 18));

  return {
    busy: sending || funds.busy,
    stakeAmount, setStakeAmount, unstakeAmount, setUnstakeAmount, delegateTo, setDelegateTo,
    error, result, stake, unstake, withdraw, delegate, max,
    balance: funds.balance,
    step: funds.step,
    stakeProblem: fundsProblem(stakeWei, funds.balance),
    preview: tierPreview(p, stakeWei),
    mirror,
  };
}
