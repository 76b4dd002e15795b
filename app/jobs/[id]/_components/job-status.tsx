"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useAccount } from "wagmi";
import { useCreateTask, type ContractAddresses, type TaskArgs } from "@/components/create-task";
import { apiFetch } from "@/lib/auth/client";

type Job = {
  id: string;
  status: string;
  specHash: string;
  creator: string;
  datasetName: string;
  fragmentCount: number;
  workUnits: string;
  suggestedFee: string;
  taskId: string | null;
  activatedAt: string | null;
  createTask: TaskArgs;
  spec: { shards?: { sha256: string; rows: number }[]; heldOut?: { sha256: string; rows: number }; model?: { layers: number[]; activation: string } };
};

const badge: Record<string, string> = {
  awaiting_chain: "bg-warn-bg text-warn",
  active: "bg-surface text-ok",
  completed: "bg-surface text-accent",
  cancelled: "bg-surface text-muted",
  failed: "bg-danger-bg text-danger",
};

/** The job's status, polled until the chain has confirmed its task. */
export function JobStatus({ initial, addresses }: { initial: Job; addresses: ContractAddresses | null }) {
  const { address } = useAccount();
  const createTask = useCreateTask(addresses);
  const [step, setStep] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { data: job } = useQuery({
    queryKey: ["corex", "job", initial.id],
    queryFn: () => apiFetch<Job>(`/api/jobs/${initial.id}`, { cache: "no-store" }),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.status === "awaiting_chain" ? 1_500 : 15_000),
  });
  const mine = address?.toLowerCase() === job.creator.toLowerCase();
  const gflop = Number(BigInt(job.workUnits) / 1_000_000n) / 1000;

  async function send() {
    setError(null);
    try {
      await createTask(job.createTask, setStep);
    } catch (e) {
      setError((e as Error).message.split("\n")[0] ?? "failed");
    } finally {
      setStep(null);
    }
  }

  return (
    <div className="space-y-4">
      <p className="text-sm">
        Status:{" "}
        <span data-testid="job-status" className={`rounded px-2 py-0.5 font-medium ${badge[job.status] ?? ""}`}>
          {job.status.replace("_", " ")}
        </span>
        {job.taskId ? <span className="ml-2 text-muted">task #{job.taskId}</span> : null}
      </p>
      {job.status === "awaiting_chain" ? (
        <div className="rounded border border-line p-4 text-sm text-muted">
          Waiting for TaskManager.createTask({job.specHash.slice(0, 10)}…, {job.fragmentCount}, fee, min tier {job.createTask.minTier}) from{" "}
          <span className="break-all font-mono">{job.creator}</span> to be mirrored.
          {mine ? (
            <div className="mt-3 flex items-center gap-3">
              <button type="button" disabled={step !== null} className="rounded bg-accent-solid px-3 py-1 font-medium text-on-accent disabled:opacity-50" onClick={() => void send()}>
                Send createTask
              </button>
              {step ? <span role="status">{step}</span> : null}
              {error ? <span role="alert" className="text-danger">{error}</span> : null}
            </div>
          ) : null}
        </div>
      ) : null}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
        <dt className="text-muted">Dataset</dt>
        <dd>{job.datasetName}</dd>
        <dt className="text-muted">Model</dt>
        <dd>{job.spec.model ? `MLP ${job.spec.model.layers.join("-")} ${job.spec.model.activation}` : "—"}</dd>
        <dt className="text-muted">Fragments</dt>
        <dd className="tabular-nums">{job.fragmentCount}</dd>
        <dt className="text-muted">Work</dt>
        <dd className="tabular-nums">{gflop.toLocaleString()} GFLOP</dd>
      </dl>
      {job.spec.shards ? (
        <details className="text-sm">
          <summary className="cursor-pointer text-muted">Shards ({job.spec.shards.length}) and held-out split</summary>
          <ul className="mt-2 space-y-0.5 break-all font-mono text-xs">
            {job.spec.shards.map((s, i) => (
              <li key={s.sha256 + i}>
                shard {i}: <a className="prose-link" href={`/api/blobs/${s.sha256}`}>{s.sha256.slice(0, 16)}…</a> ({s.rows} rows)
              </li>
            ))}
            {job.spec.heldOut ? (
              <li>
                held out: <a className="prose-link" href={`/api/blobs/${job.spec.heldOut.sha256}`}>{job.spec.heldOut.sha256.slice(0, 16)}…</a> ({job.spec.heldOut.rows} rows)
              </li>
            ) : null}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
