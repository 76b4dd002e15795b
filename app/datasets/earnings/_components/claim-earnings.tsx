"use client";

import { useState } from "react";
import type { Address, Hex } from "viem";
import { useAccount } from "wagmi";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { useClaims } from "@/components/wallet/use-claims";
import { mirrorPendingText, useMirrorRefresh } from "@/components/wallet/use-mirror-refresh";
import { useTxToast } from "@/components/wallet/use-tx-toast";
import { formatCxt } from "@/lib/mirror/client";

/**
 * The provider's Claim: one TaskManager.claimFee per task of a job on its datasets with something left
 * in the latest final epoch's fee leaf (the proofs come from /api/claims, which reads what the chain has
 * paid). Each goes through the transaction toast (decoded reverts); once the mirror has the last
 * block the server-rendered figures are refreshed, and until then nothing is offered again.
 */
export function ClaimEarnings({ provider, taskIds, taskManager }: { provider: string; taskIds: string[]; taskManager: Address | null }) {
  const { address } = useAccount();
  const { send, busy } = useTxToast();
  const mirror = useMirrorRefresh();
  const [claimedNow, setClaimedNow] = useState<string | null>(null);
  const { data, error, refetch } = useClaims(provider);
  if (error) return <p className="text-sm text-muted">Could not load your fee leaves: {error.message}</p>;
  if (!data) return <p className="text-sm text-muted">Loading your fee leaves…</p>;
  const mine = new Set(taskIds);
  const owed = data.fees.filter((f) => f.kind === "fee" && mine.has(f.taskId) && BigInt(f.claimable) > 0n);
  const total = owed.reduce((s, f) => s + BigInt(f.claimable), 0n);
  const wrongAccount = address !== undefined && address.toLowerCase() !== provider.toLowerCase();

  async function claim() {
    if (!taskManager || data?.epoch == null) return;
    let paid = 0n;
    let last: bigint | null = null;
    for (const f of owed) {
      const r = await send(`Claim ${formatCxt(f.claimable)} CXT provider share of task #${f.taskId}`, {
        address: taskManager,
        abi: taskManagerAbi,
        functionName: "claimFee",
        args: [BigInt(data.epoch), BigInt(f.taskId), provider as Address, BigInt(f.cumulativeAmount), f.proof as Hex[]],
      });
      if (r.stage !== "confirmed") break;
      paid += BigInt(f.claimable);
      last = r.receipt.blockNumber;
    }
    if (last !== null) {
      setClaimedNow(`Claimed ${formatCxt(paid)} CXT.`);
      await mirror.afterBlock(last, () => refetch());
    }
  }

  return (
    <div className="mb-6 flex flex-wrap items-center gap-3 text-sm" data-testid="claim-earnings">
      <button
        type="button"
        className="rounded bg-accent-solid px-3 py-1.5 font-medium text-on-accent disabled:opacity-50"
        disabled={busy || mirror.pending || owed.length === 0 || !taskManager || wrongAccount}
        onClick={() => void claim()}
      >
        {mirror.pending ? "Claimed — updating…" : owed.length === 0 ? "Nothing to claim" : `Claim ${formatCxt(total)} CXT`}
      </button>
      {mirror.pending ? (
        <span role="status" className="text-muted">{mirrorPendingText(mirror.waitingFor)}</span>
      ) : claimedNow ? (
        <span role="status" data-testid="claim-result">{claimedNow}</span>
      ) : (
        <span className="text-muted">
          {owed.length === 0
            ? data.epoch === null
              ? "Nothing is claimable until an epoch with your share is final."
              : `Nothing left to claim in epoch ${data.epoch}.`
            : `From epoch ${data.epoch}'s fee leaves: ${owed.length} transaction${owed.length === 1 ? "" : "s"} (TaskManager.claimFee), paid out of the tasks' escrow.`}
          {wrongAccount ? " Switch your wallet to the signed-in account to claim." : ""}
        </span>
      )}
    </div>
  );
}
