"use client";

import { lazy, Suspense } from "react";
import type { ContractAddresses, TaskArgs } from "@/components/create-task";
import { Skeleton } from "@/components/ui/skeleton";
import { requestWallet, useWalletRequested, WalletBoundary } from "@/components/wallet";

export type ActionJob = { id: string; status: string; creator: string; taskId: string | null; createTask: TaskArgs };
type Props = { job: ActionJob; addresses: ContractAddresses | null; cancelReclaimableAt: string | null };

const CreatorActions = lazy(() => import("./creator-actions").then((m) => ({ default: m.CreatorActions })));

/**
 * The creator's buttons. They need the wallet stack, which a read-only visit must not download: until
 * this tab has asked for the wallet (Connect, or a session left from an earlier visit) it is one link.
 */
export function JobActions(props: Props) {
  const requested = useWalletRequested();
  if (!requested) {
    return (
      <p className="text-sm text-muted">
        Created this job?{" "}
        <button type="button" className="prose-link" onClick={() => requestWallet({ connect: true })}>
          Connect your wallet
        </button>{" "}
        to {props.job.status === "awaiting_chain" ? "send its createTask" : "cancel it"}.
      </p>
    );
  }
  return (
    <WalletBoundary fallback={<Skeleton className="h-9 w-48" />}>
      <Suspense fallback={<Skeleton className="h-9 w-48" />}>
        <CreatorActions {...props} />
      </Suspense>
    </WalletBoundary>
  );
}
