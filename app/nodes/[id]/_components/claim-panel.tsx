"use client";

import { useQuery } from "@tanstack/react-query";
import type { Address, Hex } from "viem";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { useTxToast } from "@/components/wallet/use-tx-toast";
import { formatCxt } from "@/lib/mirror/format";

type Claimable = {
  account: string;
  epoch: number | null;
  claims: { nodeId: string; cumulativeAmount: string; cumulativeWorkUnits: string; claimed: string; claimable: string; proof: string[] }[];
  claimable: string;
};

/** What the node's owner can claim against the latest final epoch, and the one-transaction claim. */
export function ClaimPanel({ owner, nodeId, ledger }: { owner: string; nodeId: string; ledger: Address }) {
  const { send, busy } = useTxToast();
  const { data, error, refetch } = useQuery({
    queryKey: ["corex", "claims", owner],
    queryFn: async () => {
      const res = await fetch(`/api/claims/${owner}`, { cache: "no-store" });
      if (!res.ok) throw new Error(((await res.json()) as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`);
      return (await res.json()) as Claimable;
    },
    refetchInterval: 15_000,
  });
  if (error) return <p className="text-sm text-muted">Could not load claims: {error.message}</p>;
  if (!data) return <p className="text-sm text-muted">Loading claims…</p>;
  const leaf = data.claims.find((c) => c.nodeId === nodeId);
  if (data.epoch === null || !leaf) return <p className="text-sm text-muted">Nothing to claim yet: rewards appear once an epoch that credits this node is final.</p>;

  async function claim() {
    if (!leaf || data?.epoch == null) return;
    const r = await send(`Claim ${formatCxt(leaf.claimable)} CXT`, {
      address: ledger,
      abi: contributionLedgerAbi,
      functionName: "claim",
      args: [BigInt(data.epoch), owner as Address, BigInt(leaf.nodeId), BigInt(leaf.cumulativeAmount), BigInt(leaf.cumulativeWorkUnits), leaf.proof as Hex[]],
    });
    if (r.stage === "confirmed") await refetch();
  }

  return (
    <div className="space-y-2 text-sm" data-testid="claim-panel">
      <p>
        Latest final epoch <strong>{data.epoch}</strong>: <strong data-testid="claimable">{formatCxt(leaf.claimable)} CXT</strong> to claim
        (earned in total {formatCxt(leaf.cumulativeAmount)}, claimed {formatCxt(leaf.claimed)}). Claiming also records the node&apos;s verified
        work, which moves its tier.
      </p>
      <button
        type="button"
        className="rounded bg-accent-solid px-3 py-1.5 text-on-accent disabled:opacity-50"
        disabled={busy || BigInt(leaf.claimable) === 0n}
        onClick={claim}
      >
        Claim
      </button>
    </div>
  );
}
