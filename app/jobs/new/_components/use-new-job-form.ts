"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useCreateTask, type ContractAddresses, type TaskArgs } from "@/components/create-task";
import { apiFetch } from "@/lib/auth/client";
import { buildJobRequest, defaultFields, errorsByField, fieldsForTask, type FieldErrors, type FieldName, type Fields, type JobTask } from "./new-job-request";
import { useDataset } from "./use-dataset";

type CreatedJob = { id: string; specHash: string; createTask: TaskArgs };

/**
 * The new-job form's state and its submit: create the job through the API, send createTask from the
 * wallet, then open the job's page (also when createTask was not sent: that page offers it again).
 */
export function useNewJobForm(addresses: ContractAddresses | null) {
  const router = useRouter();
  const { createTask } = useCreateTask(addresses);
  const dataset = useDataset();
  const [fields, setFields] = useState<Fields>(defaultFields);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [step, setStep] = useState<string | null>(null);

  const set = (k: FieldName) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [k]: e.target.value }));

  /** A task brings its own sources and training defaults; errors about the other task's fields go. */
  function pickTask(t: JobTask) {
    dataset.chooseTask(t);
    setFields((f) => fieldsForTask(t, f));
    setErrors({});
  }

  async function submit() {
    setErrors({});
    const request = buildJobRequest({ task: dataset.task, source: dataset.source, uploadedId: dataset.uploaded?.id, scaling: dataset.scaling, fields });
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
      // The job exists; its page offers createTask again.
      setStep(null);
      setErrors({ form: `createTask was not sent: ${sent.reason}` });
    }
    router.push(`/jobs/${job.id}`);
  }

  return { dataset, pickTask, fields, set, errors, step, submit };
}

export type NewJobFormState = ReturnType<typeof useNewJobForm>;
