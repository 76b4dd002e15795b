import type { ContractAddresses, TaskArgs } from "@/components/create-task";
import { formatCxtWithUnit, formatFlops } from "@/lib/format/client";
import { JobActions } from "./job-actions";

export type JobView = {
  id: string;
  status: string;
  specHash: string;
  creator: string;
  datasetName: string;
  fragmentCount: number;
  workUnits: string;
  taskId: string | null;
  createTask: TaskArgs;
  spec: { shards?: { sha256: string; rows: number }[]; heldOut?: { sha256: string; rows: number }; model?: { kind?: string; layers: number[] | number; activation?: string; heads?: number; dim?: number; context?: number; vocab?: number } };
};

/** "MLP 4-8-3 tanh", or "Language model: 2 layers × 4 heads, dim 64, context 16, 27 characters". */
function modelLabel(m: JobView["spec"]["model"]): string {
  if (!m) return "—";
  if (m.kind === "gpt") return `Language model: ${String(m.layers)} layers × ${m.heads} heads, dim ${m.dim}, context ${m.context}, ${m.vocab} characters`;
  return `MLP ${Array.isArray(m.layers) ? m.layers.join("-") : m.layers} ${m.activation ?? ""}`;
}

const badge: Record<string, string> = {
  awaiting_chain: "bg-warn-bg text-warn",
  active: "bg-surface text-ok",
  completed: "bg-surface text-accent",
  cancelled: "bg-surface text-muted",
  failed: "bg-danger-bg text-danger",
  expired: "bg-surface text-muted",
};

/** The run's status as a chip beside its name. */
export function StatusChip({ status }: { status: string }) {
  return (
    <span data-testid="job-status" className={`rounded-full px-2.5 py-0.5 text-sm font-medium ${badge[status] ?? ""}`}>
      {status.replace("_", " ")}
    </span>
  );
}

/**
 * The job's status (server-rendered; the page refreshes itself while it can change) and, for its
 * creator, the wallet actions: createTask while awaiting the chain, cancel while active.
 */
export function JobStatus({ job, addresses, cancelReclaimableAt }: { job: JobView; addresses: ContractAddresses | null; cancelReclaimableAt: string | null }) {
  return (
    <div className="space-y-4">
      {job.status === "active" && cancelReclaimableAt ? <p className="text-sm text-warn">Cancellation requested.</p> : null}
      {job.status === "awaiting_chain" ? (
        <p className="rounded border border-line p-4 text-sm text-muted">
          Waiting for its on-chain task: TaskManager.createTask({job.specHash.slice(0, 10)}…, {job.fragmentCount} fragments, a fee of{" "}
          <span data-testid="job-fee">{formatCxtWithUnit(job.createTask.fee)}</span>, min tier {job.createTask.minTier}) from{" "}
          <span className="break-all font-mono">{job.creator}</span>.
        </p>
      ) : null}
      {job.status === "expired" ? (
        <p className="rounded border border-line p-4 text-sm text-muted">
          No on-chain task arrived in time, or its creator discarded it: the job expired and its shards were deleted. Create it again to train it.
        </p>
      ) : null}
      {job.status === "awaiting_chain" || job.status === "active" ? (
        <JobActions
          job={{ id: job.id, status: job.status, creator: job.creator, taskId: job.taskId, createTask: job.createTask }}
          addresses={addresses}
          cancelReclaimableAt={cancelReclaimableAt}
        />
      ) : null}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
        <dt className="text-muted">Dataset</dt>
        <dd>{job.datasetName}</dd>
        <dt className="text-muted">Model</dt>
        <dd>{modelLabel(job.spec.model)}</dd>
        <dt className="text-muted">Fragments</dt>
        <dd className="tabular-nums">{job.fragmentCount}</dd>
        <dt className="text-muted">Work</dt>
        <dd className="tabular-nums">{formatFlops(job.workUnits)}</dd>
      </dl>
    </div>
  );
}
