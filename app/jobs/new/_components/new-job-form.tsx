"use client";

import { useAccount } from "wagmi";
import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useSession } from "@/components/auth-provider";
import type { ContractAddresses } from "@/components/create-task";
import { Button } from "@/components/ui/button";
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
      <div className="flex items-center gap-4 lg:col-span-2">
        <button type="submit" disabled={form.step !== null || !addresses} className="rounded bg-accent-solid px-4 py-2 font-medium text-on-accent disabled:opacity-50">
          Create job
        </button>
        {form.step ? <span className="text-sm text-muted" role="status">{form.step}</span> : null}
        {form.errors.form ? <span role="alert" className="text-sm text-danger">{form.errors.form}</span> : null}
        {!addresses ? <span className="text-sm text-warn">No TaskManager deployment for this chain.</span> : null}
      </div>
    </form>
  );
}
