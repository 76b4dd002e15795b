"use client";

import { useCallback, useState } from "react";
import { toast } from "sonner";
import { formatGwei, type Abi, type ContractFunctionName } from "viem";
import { useAccount, useConfig, usePublicClient } from "wagmi";
import { getWalletClient } from "wagmi/actions";
import { useTargetChain } from "@/lib/chain/client";
import { explorerTxUrl, sendContractTx, type ContractTx, type TxStage } from "@/lib/chain/client";

export type TxToastResult = Extract<TxStage, { stage: "confirmed" | "failed" }>;

/**
 * Sends a contract transaction from the connected wallet and tells it in one toast that moves
 * through checking → confirm in wallet → pending (with the gas it was sent with and an explorer
 * link) → confirmed, or failed with a readable reason (decoded custom errors). Use it inside a
 * <WalletBoundary> (it needs the wallet stack):
 *
 *   const { send, busy } = useTxToast();
 *   await send("Stake 100 CXT", { address, abi: stakingAbi, functionName: "stake", args: [nodeId, amount] });
 */
export function useTxToast() {
  const config = useConfig();
  const chain = useTargetChain();
  const publicClient = usePublicClient({ chainId: chain.id });
  const { address } = useAccount();
  const [busy, setBusy] = useState(false);

  const send = useCallback(
    async <const abi extends Abi, fn extends ContractFunctionName<abi, "nonpayable" | "payable">>(
      label: string,
      tx: ContractTx<abi, fn>,
    ): Promise<TxToastResult> => {
      const id = toast.loading(label, { description: "Checking the transaction…" });
      if (!address || !publicClient) {
        const reason = address ? `No RPC for chain ${chain.id}.` : "Connect a wallet first.";
        toast.error(label, { id, description: reason });
        return { stage: "failed", reason };
      }
      setBusy(true);
      try {
        const walletClient = await getWalletClient(config, { chainId: chain.id });
        return await sendContractTx({
          publicClient,
          walletClient,
          account: address,
          chain,
          tx: tx as unknown as ContractTx,
          onStage: (s) => showStage(id, label, s, chain),
        });
      } catch (err) {
        // getWalletClient fails when the wallet sits on another chain: the banner offers the switch.
        const reason = (err as Error).message.split("\n")[0];
        toast.error(label, { id, description: reason });
        return { stage: "failed", reason };
      } finally {
        setBusy(false);
      }
    },
    [address, chain, config, publicClient],
  );

  return { send, busy };
}

function showStage(id: string | number, label: string, s: TxStage, chain: Parameters<typeof explorerTxUrl>[0]) {
  const withLink = (text: string, hash?: `0x${string}`) => {
    const url = hash && explorerTxUrl(chain, hash);
    return url ? (
      <>
        {text}{" "}
        <a className="prose-link" href={url} target="_blank" rel="noreferrer">
          View on explorer
        </a>
      </>
    ) : (
      text
    );
  };
  switch (s.stage) {
    case "checking":
      toast.loading(label, { id, description: "Checking the transaction…" });
      break;
    case "sign":
      toast.loading(label, { id, description: "Confirm it in your wallet." });
      break;
    case "pending":
      toast.loading(label, { id, description: withLink(`Pending · ${s.hash.slice(0, 10)}… · gas limit ${s.gas.toLocaleString("en")}.`, s.hash) });
      break;
    case "confirmed":
      toast.success(label, {
        id,
        description: withLink(
          `Confirmed in block ${s.receipt.blockNumber} · ${s.receipt.gasUsed.toLocaleString("en")} gas at ${formatGwei(s.receipt.effectiveGasPrice)} gwei.`,
          s.hash,
        ),
      });
      break;
    case "failed":
      toast.error(label, { id, description: withLink(s.reason, s.hash) });
      break;
  }
}
