"use client";

import { toast } from "sonner";
import { useAccount, useSwitchChain } from "wagmi";
import { describeTxError } from "@/lib/chain/client";
import { useTargetChain } from "@/lib/chain/client";

/**
 * Prompts a connected wallet that sits on another chain to switch to the one the contracts live on.
 * Part of the lazily loaded wallet stack: rendered by <LazyNetworkGuard> once a wallet is in play.
 */
export function NetworkGuard() {
  const targetChain = useTargetChain();
  const { isConnected, chainId } = useAccount();
  const { switchChainAsync, isPending } = useSwitchChain();
  if (!isConnected || chainId === targetChain.id) return null;
  const onSwitch = async () => {
    const id = toast.loading(`Switch to ${targetChain.name}`, { description: "Confirm it in your wallet." });
    try {
      await switchChainAsync({ chainId: targetChain.id });
      toast.success(`Switched to ${targetChain.name}`, { id, description: `Your wallet is on chain ${targetChain.id}.` });
    } catch (err) {
      toast.error(`Could not switch to ${targetChain.name}`, { id, description: describeTxError(err).reason });
    }
  };
  return (
    <div role="alert" className="border-b border-warn-line bg-warn-bg px-4 py-2 text-sm text-warn">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3">
        <span>
          Your wallet is on chain {chainId ?? "unknown"}; Corex runs on {targetChain.name} ({targetChain.id}).
        </span>
        <button
          type="button"
          className="rounded bg-warn-solid px-3 py-1 font-medium text-on-warn disabled:opacity-50"
          disabled={isPending}
          onClick={() => void onSwitch()}
        >
          {isPending ? "Switching…" : `Switch to ${targetChain.name}`}
        </button>
      </div>
    </div>
  );
}
