"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useAccount } from "wagmi";
import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useSession } from "@/components/auth-provider";
import { useCreateTask, type ContractAddresses, type TaskArgs } from "@/components/create-task";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { apiFetch } from "@/lib/auth/client";
import { CsvUpload } from "./csv-upload";
import { Field } from "./field";
import { errorsByField, type FieldErrors } from "./new-job-request";
import { useDataset } from "./use-dataset";

const numbers = ["rowsPerFragment", "redundancy", "spotCheckRate", "minTier"] as const;
type Numbers = Record<(typeof numbers)[number], string> & { fee: string };
const labels: Record<keyof Numbers, string> = {
  rowsPerFragment: "Rows (prompts) per fragment", redundancy: "Replicas per fragment (k)", spotCheckRate: "Spot-check rate", minTier: "Lowest node tier", fee: "Fee (CXT wei)",
};

/**
 * An inference job from a registry model (/jobs/new?model=<id>, linked from the model's page): for a
 * classifier a built-in table or an uploaded CSV whose feature columns are the model's inputs, for a
 * language model a text file of prompts (one per line) and the longest continuation; replication and fee
 * as for training. Creates the job, sends createTask from the wallet, opens the job's page.
 */
export function InferenceJobForm({ modelId, modelName, modelKind, addresses }: { modelId: string; modelName: string; modelKind: "mlp" | "gpt"; addresses: ContractAddresses | null }) {
  const { isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const { status } = useSession();
  const router = useRouter();
  const { createTask } = useCreateTask(addresses);
  const dataset = useDataset();
  const lm = modelKind === "gpt";
  const [fields, setFields] = useState<Numbers>({ rowsPerFragment: lm ? "50" : "1000", redundancy: "2", spotCheckRate: "0.05", minTier: "0", fee: "0" });
  const [prompts, setPrompts] = useState<File | null>(null);
  const [maxTokens, setMaxTokens] = useState("32");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [step, setStep] = useState<string | null>(null);

  if (!isConnected || status !== "authenticated") {
    return (
      <div className="rounded border border-line p-6 text-sm">
        <p className="mb-3 text-muted">Connect your wallet and sign in to run inference.</p>
        <Button type="button" onClick={() => openConnectModal?.()}>{isConnected ? "Sign in" : "Connect wallet"}</Button>
      </div>
    );
  }

  async function submit() {
    setErrors({});
    const common = { kind: "inference", modelId, ...Object.fromEntries(numbers.map((k) => [k, Number(fields[k])])), fee: fields.fee.trim() };
    let body: Record<string, unknown>;
    if (lm) {
      // The file's text goes in the request; the server tokenises and checks every line.
      if (!prompts) return setErrors({ prompts: "choose a text file of prompts, one per line" });
      body = { ...common, prompts: await prompts.text(), maxTokens: Number(maxTokens) };
    } else {
      const source = dataset.source === "csv" ? dataset.uploaded?.id : dataset.source;
      if (!source) return setErrors({ dataset: "upload the CSV first" });
      body = { ...common, dataset: source };
    }
    let job: { id: string; createTask: TaskArgs };
    try {
      setStep("Creating the job…");
      job = await apiFetch("/api/jobs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    } catch (e) {
      setStep(null);
      return setErrors(errorsByField(e));
    }
    setStep("Sending createTask…");
    const sent = await createTask(job.createTask);
    if (sent.stage === "failed") setErrors({ form: `createTask was not sent: ${sent.reason}` });
    router.push(`/jobs/${job.id}`);
  }

  return (
    <form className="grid gap-6 lg:grid-cols-2" data-testid="inference-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <fieldset className="space-y-3">
        {lm ? (
          <>
            <legend className="mb-2 font-medium">Prompts for {modelName} to continue</legend>
            <Field label="Prompts file (.txt, one prompt per line)" name="prompts" error={errors.prompts}>
              <Input compact id="prompts" name="prompts" type="file" accept=".txt,text/plain" onChange={(e) => setPrompts(e.target.files?.[0] ?? null)} />
            </Field>
            <Field label="Most tokens per continuation" name="maxTokens" error={errors.maxTokens}>
              <Input compact id="maxTokens" name="maxTokens" type="number" min={1} max={1024} step="1" value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} />
            </Field>
          </>
        ) : (
          <>
            <legend className="mb-2 font-medium">Rows to classify with {modelName}</legend>
            <Field label="Dataset" name="dataset" error={errors.dataset}>
              <Select compact id="dataset" value={dataset.source} onChange={(e) => dataset.chooseSource(e.target.value as "mnist" | "iris" | "csv")}>
                <option value="mnist">MNIST (built-in, 10,000 digits)</option>
                <option value="iris">Iris (built-in, 150 flowers)</option>
                <option value="csv">Upload a CSV</option>
              </Select>
            </Field>
            {dataset.source === "csv" ? <CsvUpload dataset={dataset} /> : null}
          </>
        )}
      </fieldset>
      <fieldset className="grid grid-cols-2 gap-3">
        <legend className="mb-2 font-medium">Verification and fee</legend>
        {(Object.keys(labels) as (keyof Numbers)[]).map((k) => (
          <Field key={k} label={labels[k]} name={k} error={errors[k]}>
            <Input compact id={k} name={k} type={k === "fee" ? "text" : "number"} step={k === "spotCheckRate" ? "any" : "1"} value={fields[k]} onChange={(e) => setFields((f) => ({ ...f, [k]: e.target.value }))} />
          </Field>
        ))}
      </fieldset>
      <div className="flex items-center gap-4 lg:col-span-2">
        <button type="submit" disabled={step !== null || !addresses} className="rounded bg-accent-solid px-4 py-2 font-medium text-on-accent disabled:opacity-50">
          Create inference job
        </button>
        {step ? <span className="text-sm text-muted" role="status">{step}</span> : null}
        {errors.form ? <span role="alert" className="text-sm text-danger">{errors.form}</span> : null}
      </div>
    </form>
  );
}
