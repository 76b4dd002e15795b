"use client";

import { useAccount } from "wagmi";
import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useSession } from "@/components/auth-provider";
import type { ContractAddresses } from "@/components/create-task";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { fundsDetail } from "@/components/wallet/use-cxt-funds";
import { DatasetFieldset, ModelFieldset, TrainingFieldset } from "./form-sections";
import { useNewJobForm } from "./use-new-job-form";

export function NewJobForm({ addresses }: { addresses: ContractAddresses | null }) {
  const { isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const { status } = useSession();
  const form = useNewJobForm(addresses);

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
