"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { parseEther } from "viem";
import { useAccount } from "wagmi";
import { useCreateTask, type ContractAddresses } from "@/components/create-task";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fundsDetail, fundsProblem, StepIndicator } from "@/components/wallet/use-cxt-funds";
import { useTxToast } from "@/components/wallet/use-tx-toast";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { apiFetch } from "@/lib/auth/client";
import { formatCxtWithUnit } from "@/lib/format/client";
import type { ActionJob } from "./job-actions";

/**
 * createTask (awaiting the chain) or cancelTask (active) for the connected wallet when it created the
 * job. With fee escrow left, TaskManager's first cancelTask only requests the cancellation: the
 * coordinator settles it (paying accepted work), and after the grace period the creator may finish it.
 */
export function CreatorActions({ job, addresses, cancelReclaimableAt }: { job: ActionJob; addresses: ContractAddresses | null; cancelReclaimableAt: string | null }) {
  const { address } = useAccount();
  const router = useRouter();
  const { send, busy } = useTxToast();
  if (!address) return <p className="text-sm text-muted">Connect the wallet that created this job to act on it.</p>;
  if (address.toLowerCase() !== job.creator.toLowerCase()) return null;

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

  if (job.status === "awaiting_chain") return <StuckJobActions job={job} addresses={addresses} />;
  if (job.status !== "active" || job.taskId === null) return null;
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <Button type="button" className="border border-line bg-transparent text-fg" disabled={busy || !addresses} onClick={() => void cancel()}>
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

/**
 * A job before its chain task: send createTask (its fee checked against the wallet's CXT first), or
 * give it a new fee (PATCH: the spec hash changes with it), or discard it (DELETE: it expires now).
 */
function StuckJobActions({ job, addresses }: { job: ActionJob; addresses: ContractAddresses | null }) {
  const router = useRouter();
  const { createTask, busy, balance, step } = useCreateTask(addresses);
  const [error, setError] = useState<string | null>(null);
  const [newFee, setNewFee] = useState("");
  const [saving, setSaving] = useState(false);
  const fee = BigInt(job.createTask.fee);
  const problem = fundsProblem(fee, balance);

  async function sendCreateTask() {
    setError(null);
    const result = await createTask(job.createTask);
    if (result.stage === "confirmed") router.refresh();
    else setError(result.reason);
  }

  async function change(method: "PATCH" | "DELETE") {
    setError(null);
    let body: string | undefined;
    if (method === "PATCH") {
      try {
        const wei = parseEther(newFee.trim());
        if (wei < 0n || !newFee.trim()) throw new Error();
        body = JSON.stringify({ fee: wei.toString() });
      } catch {
        return setError("Enter the new fee in CXT, e.g. 0 or 12.5.");
      }
    }
    setSaving(true);
    try {
      await apiFetch(`/api/jobs/${job.id}`, { method, headers: body ? { "content-type": "application/json" } : undefined, body });
      setNewFee("");
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="space-y-3 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" disabled={busy || saving || problem !== null} onClick={() => void sendCreateTask()}>
          {problem ? `Send createTask — ${problem}` : `Send createTask (fee ${formatCxtWithUnit(fee)})`}
        </Button>
        {problem && balance !== undefined ? <span className="text-warn" data-testid="fee-problem">{fundsDetail(fee, balance)} Change the fee below, or add CXT.</span> : null}
      </div>
      <StepIndicator step={step} />
      <form
        className="flex flex-wrap items-center gap-2"
        aria-label="Change the fee"
        onSubmit={(e) => {
          e.preventDefault();
          void change("PATCH");
        }}
      >
        <label htmlFor="new-fee" className="text-muted">
          New fee (CXT)
        </label>
        <Input id="new-fee" className="w-32" inputMode="decimal" value={newFee} onChange={(e) => setNewFee(e.target.value)} placeholder="0" />
        <Button type="submit" className="border border-line bg-transparent text-fg" disabled={busy || saving}>
          Change fee
        </Button>
        <Button type="button" className="border border-line bg-transparent text-danger" disabled={busy || saving} onClick={() => void change("DELETE")}>
          Discard job
        </Button>
      </form>
      {error ? (
        <p role="alert" className="text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
