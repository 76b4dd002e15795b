"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatEther, parseEther } from "viem";
import { useSession } from "@/components/auth-provider";
import { useCreateTask, type ContractAddresses, type TaskArgs } from "@/components/create-task";
import { fundsProblem } from "@/components/wallet/use-cxt-funds";
import { apiFetch } from "@/lib/auth/client";
import { buildJobRequest, defaultFields, errorsByField, fieldsForTask, type FieldErrors, type FieldName, type Fields, type JobTask } from "./new-job-request";
import { estimateJob } from "./job-estimate";
import { useDataset } from "./use-dataset";

type CreatedJob = { id: string; specHash: string; createTask: TaskArgs };

/** The fee typed, in wei; null while it is not a CXT amount (the submit names that error). */
function feeWei(text: string): bigint | null {
  try {
    const wei = parseEther(text.trim() || "0");
    return wei >= 0n ? wei : null;
  } catch {
    return null;
  }
}

/**
 * The new-job form's state and its submit: create the job through the API, send createTask from the
 * wallet, then open the job's page. The fee is checked against the wallet's CXT before anything is
 * created (the button says why it is disabled). When createTask is not sent, the form stays with
 * the reason and a link to the job, whose page offers it again, a new price, or discarding it.
 */
export function useNewJobForm(addresses: ContractAddresses | null, initialDataset: string | null = null) {
  const router = useRouter();
  const { createTask, balance, step: txStep } = useCreateTask(addresses);
  const [fields, setFields] = useState<Fields>(defaultFields);
  // A dataset chosen from the catalogue may bring the other task (text: a language model) and its defaults.
  const { session } = useSession();
  const dataset = useDataset(initialDataset, (t) => setFields((f) => (t === "language" ? fieldsForTask(t, f) : f)), session?.address ?? null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [step, setStep] = useState<string | null>(null);
  const [stuckJob, setStuckJob] = useState<string | null>(null);
  const fee = feeWei(fields.fee);
  const feeProblem = fundsProblem(fee, balance);

  const set = (k: FieldName) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [k]: e.target.value }));

  /** A task brings its own sources and training defaults; errors about the other task's fields go. */
  function pickTask(t: JobTask) {
    dataset.chooseTask(t);
    setFields((f) => fieldsForTask(t, f));
    setErrors({});
  }

  async function submit() {
    setErrors({});
    setStuckJob(null);
    const request = buildJobRequest({ task: dataset.task, source: dataset.source, uploadedId: dataset.uploaded?.id, datasetId: dataset.chosen?.id, scaling: dataset.scaling, fields });
    if ("errors" in request) return setErrors(request.errors);
    let job: CreatedJob;
    try {
      setStep("Creating the job…");
      job = await apiFetch<CreatedJob>("/api/jobs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request.body) });
    } catch (e) {
      setStep(null);
      return setErrors(errorsByField(e));
    }
    setStep("Sending createTask…");
    const sent = await createTask(job.createTask);
    if (sent.stage === "failed") {
      // The job exists; its page offers createTask again, a new fee, or discarding it.
      setStep(null);
      setStuckJob(job.id);
      return setErrors({ form: `The job was created, but its on-chain task was not: ${sent.reason}` });
    }
    router.push(`/jobs/${job.id}`);
  }

  const num = (k: FieldName) => Number(fields[k]);
  const estimate = estimateJob({
    dataset: dataset.estimateDataset,
    model:
      dataset.task === "language"
        ? { kind: "gpt", layers: num("layers"), heads: num("heads"), dim: num("dim"), context: num("context") }
        : { kind: "mlp", hidden: fields.hidden.split(",").map((x) => x.trim()).filter(Boolean).map(Number) },
    hyper: { rounds: num("rounds"), shards: num("shards"), localSteps: num("localSteps"), batch: num("batch") },
    redundancy: num("redundancy"),
    fee,
  });
  /** The suggested fee into the fee field (CXT, as typed). */
  const applySuggestedFee = () => estimate && setFields((f) => ({ ...f, fee: formatEther(estimate.suggestedFee) }));

  return { dataset, pickTask, fields, set, errors, step, txStep, submit, fee, balance, feeProblem, stuckJob, estimate, applySuggestedFee };
}

export type NewJobFormState = ReturnType<typeof useNewJobForm>;
