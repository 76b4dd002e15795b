"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useAccount } from "wagmi";
import { useCreateTask, type ContractAddresses } from "@/components/create-task";
import { Button } from "@/components/ui/button";
import { useTxToast } from "@/components/wallet/use-tx-toast";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import type { ActionJob } from "./job-actions";

/**
 * createTask (awaiting the chain) or cancelTask (active) for the connected wallet when it created the
 * job. With fee escrow left, TaskManager's first cancelTask only requests the cancellation: the
 * coordinator settles it (paying accepted work), and after the grace period the creator may finish it.
 */
export function CreatorActions({ job, addresses, cancelReclaimableAt }: { job: ActionJob; addresses: ContractAddresses | null; cancelReclaimableAt: string | null }) {
  const { address } = useAccount();
  const router = useRouter();
  const { createTask, busy: creating } = useCreateTask(addresses);
  const { send, busy } = useTxToast();
  const [error, setError] = useState<string | null>(null);
  if (!address) return <p className="text-sm text-muted">Connect the wallet that created this job to act on it.</p>;
  if (address.toLowerCase() !== job.creator.toLowerCase()) return null;

  async function sendCreateTask() {
    setError(null);
    const result = await createTask(job.createTask);
    if (result.stage === "confirmed") router.refresh();
    else setError(result.reason);
  }

  async function cancel() {
    if (!addresses || job.taskId === null) return;
    const result = await send(cancelReclaimableAt ? "Finish cancelling the job" : "Cancel the job", {
      address: addresses.taskManager,
      abi: taskManagerAbi,
      functionName: "cancelTask",
      args: [BigInt(job.taskId)],
    });
    if (result.stage === "confirmed") router.refresh();
  }

  if (job.status === "awaiting_chain") {
    return (
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <Button type="button" disabled={creating} onClick={() => void sendCreateTask()}>
          Send createTask
        </Button>
        {error ? <span role="alert" className="text-danger">{error}</span> : null}
      </div>
    );
  }
  if (job.status !== "active" || job.taskId === null) return null;
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <Button type="button" disabled={busy || !addresses} onClick={() => void cancel()}>
        {cancelReclaimableAt ? "Finish cancellation" : "Cancel job"}
      </Button>
      <span className="text-muted">
        {cancelReclaimableAt
          ? `Requested: the coordinator settles it, paying accepted work; from ${new Date(cancelReclaimableAt).toLocaleString("en")} you may finish it yourself and take the unspent fee back.`
          : "Accepted work is paid first; the unspent fee returns to you."}
      </span>
    </div>
  );
}
