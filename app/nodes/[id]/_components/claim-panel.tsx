"use client";

import { useState } from "react";
import type { Address, Hex } from "viem";
import { useReadContract } from "wagmi";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { useClaims, type FeeLeaf } from "@/components/wallet/use-claims";
import { mirrorPendingText, useMirrorRefresh } from "@/components/wallet/use-mirror-refresh";
import { useTxToast } from "@/components/wallet/use-tx-toast";
import { useTargetChain } from "@/lib/chain/client";
import { formatCxt, formatFlops } from "@/lib/mirror/client";

type FeeEntry = FeeLeaf;

/**
 * What the node's owner can claim against the latest final epoch, and the one-transaction claim; then
 * the account's task fees settled through the same epoch root (one TaskManager.claimFee / claimRefund
 * per task, sent in turn from the same button).
 * The owner's CXT balance is read from the token, so the claim's effect shows at once; the claimable
 * amount (read from the mirror) and the node's verified work and tier follow once the mirror has the
 * claim's block — until then the panel says so and offers nothing to claim again.
 */
export function ClaimPanel({ owner, nodeId, ledger, tasks, token }: { owner: string; nodeId: string; ledger: Address; tasks?: Address; token?: Address }) {
  const chain = useTargetChain();
  const { send, busy } = useTxToast();
  const mirror = useMirrorRefresh();
  const [claimedNow, setClaimedNow] = useState<string | null>(null);
  const { data, error, refetch } = useClaims(owner, { refetchInterval: 15_000 });
  const balance = useReadContract({
    address: token,
    abi: cxtTokenAbi,
    functionName: "balanceOf",
    args: [owner as Address],
    chainId: chain.id,
    query: { enabled: Boolean(token) },
  });
  const balanceLine = token ? (
    <p className="text-muted">
      Owner&apos;s CXT balance: <span className="font-semibold text-fg tabular-nums" data-testid="cxt-balance">{balance.data === undefined ? "…" : `${formatCxt(balance.data)} CXT`}</span>
    </p>
  ) : null;
  if (error) return <p className="text-sm text-muted">Could not load claims: {error.message}</p>;
  if (!data) return <p className="text-sm text-muted">Loading claims…</p>;
  const leaf = data.claims.find((c) => c.nodeId === nodeId);
  const owed = (data.fees ?? []).filter((f) => BigInt(f.claimable) > 0n);

  async function claimFees() {
    if (!tasks || data?.epoch == null) return;
    let paid = 0n;
    let last: bigint | null = null;
    for (const f of owed) {
      const args = f.kind === "fee"
        ? ({ functionName: "claimFee", args: [BigInt(data.epoch), BigInt(f.taskId), owner as Address, BigInt(f.cumulativeAmount), f.proof as Hex[]] } as const)
        : ({ functionName: "claimRefund", args: [BigInt(data.epoch), BigInt(f.taskId), BigInt(f.cumulativeAmount), f.proof as Hex[]] } as const);
      const r = await send(`Claim ${formatCxt(f.claimable)} CXT ${f.kind === "fee" ? "fee" : "refund"} of task #${f.taskId}`, { address: tasks, abi: taskManagerAbi, ...args });
      if (r.stage !== "confirmed") break;
      paid += BigInt(f.claimable);
      last = r.receipt.blockNumber;
    }
    if (last !== null) {
      setClaimedNow(`Claimed ${formatCxt(paid)} CXT of task fees to ${owner.slice(0, 6)}…${owner.slice(-4)}.`);
      await mirror.afterBlock(last, () => Promise.all([refetch(), balance.refetch()]));
    }
  }

  const feesSection = (data.fees ?? []).length > 0 ? (
    <div className="space-y-1" data-testid="fee-claims">
      <p>
        Task fees (epoch {data.epoch}): <strong data-testid="fees-claimable">{formatCxt(data.feesClaimable)} CXT</strong> to claim, paid out of the tasks&apos; escrow.
      </p>
      <ul className="list-inside list-disc text-muted">
        {data.fees.map((f: FeeEntry) => (
          <li key={`${f.kind}-${f.taskId}`} data-testid="fee-claim">
            task #{f.taskId} {f.kind === "refund" ? "refund (creator)" : "fee"}: {formatCxt(f.cumulativeAmount)} CXT, claimed {formatCxt(f.claimed)}
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="rounded border border-border px-3 py-1.5 disabled:opacity-50"
        disabled={busy || owed.length === 0 || mirror.pending || !tasks}
        onClick={claimFees}
      >
        {owed.length === 0 ? "Task fees claimed" : `Claim task fees (${owed.length} transaction${owed.length === 1 ? "" : "s"})`}
      </button>
    </div>
  ) : null;
  if (data.epoch === null || !leaf) {
    return (
      <div className="space-y-2 text-sm" data-testid="claim-panel">
        <p className="text-muted">Nothing to claim yet: rewards appear once an epoch that credits this node is final.</p>
        {balanceLine}
        {feesSection}
      </div>
    );
  }

  async function claim() {
    if (!leaf || data?.epoch == null) return;
    const r = await send(`Claim ${formatCxt(leaf.claimable)} CXT`, {
      address: ledger,
      abi: contributionLedgerAbi,
      functionName: "claim",
      args: [BigInt(data.epoch), owner as Address, BigInt(leaf.nodeId), BigInt(leaf.cumulativeAmount), BigInt(leaf.cumulativeWorkUnits), leaf.proof as Hex[]],
    });
    if (r.stage === "confirmed") setClaimedNow(`Claimed ${formatCxt(leaf.claimable)} CXT to ${owner.slice(0, 6)}…${owner.slice(-4)}.`);
    if (r.stage === "confirmed") await mirror.afterBlock(r.receipt.blockNumber, () => Promise.all([refetch(), balance.refetch()]));
  }

  const nothingLeft = BigInt(leaf.claimable) === 0n;
  return (
    <div className="space-y-2 text-sm" data-testid="claim-panel">
      <p>
        Latest final epoch <strong data-testid="claim-epoch">{data.epoch}</strong>:{" "}
        <strong data-testid="claimable">{formatCxt(leaf.claimable)} CXT</strong> to claim (earned in total {formatCxt(leaf.cumulativeAmount)}, claimed{" "}
        <span data-testid="claimed">{formatCxt(leaf.claimed)}</span>). Claiming also records the node&apos;s verified work (
        {formatFlops(leaf.cumulativeWorkUnits)} in total), which moves its tier.
      </p>
      {balanceLine}
      {mirror.pending ? (
        <p role="status" data-testid="mirror-pending" className="text-muted">
          {mirrorPendingText(mirror.waitingFor)}
        </p>
      ) : claimedNow ? (
        <p role="status" data-testid="tx-result">
          {claimedNow}
        </p>
      ) : null}
      <button
        type="button"
        className="rounded bg-accent-solid px-3 py-1.5 text-on-accent disabled:opacity-50"
        disabled={busy || nothingLeft || mirror.pending}
        onClick={claim}
      >
        {mirror.pending ? "Claimed — updating…" : nothingLeft ? "Claimed" : "Claim"}
      </button>
      {feesSection}
    </div>
  );
}
