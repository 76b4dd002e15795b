"use client";

import { useAccount } from "wagmi";
import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useSession } from "@/components/auth-provider";
import type { ContractAddresses } from "@/components/create-task";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { fundsDetail } from "@/components/wallet/use-cxt-funds";
import { formatShare } from "@/app/datasets/_components/format";
import { formatCxtWithUnit, formatFlops } from "@/lib/format/client";
import { DatasetFieldset, ModelFieldset, TrainingFieldset } from "./form-sections";
import { formatDuration } from "./job-estimate";
import { useNewJobForm, type NewJobFormState } from "./use-new-job-form";

export function NewJobForm({ addresses, initialDataset = null }: { addresses: ContractAddresses | null; initialDataset?: string | null }) {
  const { isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const { status } = useSession();
  const form = useNewJobForm(addresses, initialDataset);

  if (!isConnected || status !== "authenticated") {
    return (
      <div className="rounded border border-line p-6 text-sm">
        <p className="mb-3 text-muted">Connect your wallet and sign in to create a job.</p>
        <Button type="button" onClick={() => openConnectModal?.()}>
          {isConnected ? "Sign in" : "Connect wallet"}
        </Button>
      </div>
    );
  }

  return (
    <form className="grid gap-6 lg:grid-cols-2" onSubmit={(e) => { e.preventDefault(); void form.submit(); }}>
      <DatasetFieldset form={form} />
      <ModelFieldset form={form} />
      <TrainingFieldset form={form} />
      <EstimateSummary form={form} />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 lg:col-span-2">
        {/* Never wraps: the reasons go on lines of their own below it. */}
        <button
          type="submit"
          disabled={form.step !== null || !addresses || form.feeProblem !== null}
          className="shrink-0 whitespace-nowrap rounded bg-accent-solid px-4 py-2 font-medium text-on-accent disabled:opacity-50"
        >
          {form.feeProblem ? `Create job — ${form.feeProblem}` : "Create job"}
        </button>
        {form.step ? <span className="text-sm text-muted" role="status">{form.txStep ? `Step ${form.txStep.index} of ${form.txStep.total}: ${form.txStep.label}…` : form.step}</span> : null}
        {form.feeProblem && form.fee !== null && form.balance !== undefined ? (
          <p className="basis-full text-sm text-warn" data-testid="fee-problem">
            The fee is paid into escrow when the task is created. {fundsDetail(form.fee, form.balance)} Lower the fee or add CXT.
          </p>
        ) : null}
        {form.errors.form ? (
          <p role="alert" className="basis-full text-sm text-danger">
            {form.errors.form}
            {form.stuckJob ? (
              <>
                {" "}
                <Link className="prose-link" href={`/jobs/${form.stuckJob}`}>
                  Open the job
                </Link>{" "}
                to send it again, change its fee or discard it.
              </>
            ) : null}
          </p>
        ) : null}
        {!addresses ? <span className="basis-full text-sm text-warn">No TaskManager deployment for this chain.</span> : null}
      </div>
    </form>
  );
}

/**
 * Before signing: the work (FLOPs, as the server prices it), the fragments, the suggested fee, a rough
 * time, and how the fee divides when a published dataset's provider takes a share.
 */
function EstimateSummary({ form }: { form: NewJobFormState }) {
  const e = form.estimate;
  const chosen = form.dataset.source === "dataset" ? form.dataset.chosen : null;
  return (
    <section aria-labelledby="estimate-title" className="rounded border border-line p-4 text-sm lg:col-span-2" data-testid="estimate">
      <h2 id="estimate-title" className="mb-2 font-medium">
        Estimate
      </h2>
      {e ? (
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 sm:grid-cols-4">
          <div>
            <dt className="text-xs text-muted">Work</dt>
            <dd className="tabular-nums">
              {formatFlops(e.workUnits)} · {e.fragments.toLocaleString("en")} fragments
            </dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Suggested fee</dt>
            <dd className="tabular-nums">
              {formatCxtWithUnit(e.suggestedFee)}{" "}
              <button type="button" className="prose-link text-xs" onClick={form.applySuggestedFee}>
                use it
              </button>
            </dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Time (rough, nodes free)</dt>
            <dd>{formatDuration(e.seconds)}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Your fee</dt>
            <dd className="tabular-nums">{form.fee === null ? "—" : formatCxtWithUnit(form.fee)}</dd>
          </div>
        </dl>
      ) : (
        <p className="text-muted">Choose a dataset and fill the fields to see the work, fee and time.</p>
      )}
      {chosen?.provider && e?.providerShare !== null && e?.providerShare !== undefined ? (
        <p className="mt-2" data-testid="fee-split">
          Of the fee, <strong>{formatCxtWithUnit(e.providerShare)}</strong> ({formatShare(chosen.feeBps ?? 0)}) goes to the dataset&apos;s provider and{" "}
          {formatCxtWithUnit(e.nodesShare ?? 0n)} to the nodes, for accepted work; what is not earned is refunded to you.
        </p>
      ) : null}
    </section>
  );
}
