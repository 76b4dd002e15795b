"use client";

import { useAccount, useSwitchChain } from "wagmi";
import { useTargetChain } from "@/lib/chain/target-chain";

/** Prompts a connected wallet that sits on another chain to switch to the one the contracts live on. */
export function NetworkGuard() {
  const targetChain = useTargetChain();
  const { isConnected, chainId } = useAccount();
  const { switchChain, isPending, error } = useSwitchChain();
  if (!isConnected || chainId === targetChain.id) return null;
  return (
    <div role="alert" className="border-b border-amber-700 bg-amber-950 px-4 py-2 text-sm text-amber-100">
      <div className="mx-auto flex max-w-6xl items-center gap-3">
        <span>
          Your wallet is on chain {chainId ?? "unknown"}; Corex runs on {targetChain.name} ({targetChain.id}).
        </span>
        <button
          type="button"
          className="rounded bg-amber-500 px-3 py-1 font-medium text-zinc-950 disabled:opacity-50"
          disabled={isPending}
          onClick={() => switchChain({ chainId: targetChain.id })}
        >
          {isPending ? "Switching…" : `Switch to ${targetChain.name}`}
        </button>
        {error ? <span className="text-amber-300">{error.message.split("\n")[0]}</span> : null}
      </div>
    </div>
  );
}
