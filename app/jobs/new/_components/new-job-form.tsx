"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { parseEther } from "viem";
import { useAccount } from "wagmi";
import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useSession } from "@/components/auth-provider";
import { useCreateTask, type ContractAddresses, type TaskArgs } from "@/components/create-task";
import { apiFetch, ApiRequestError } from "@/lib/auth/client";
import type { NormalisationKind } from "@/lib/datasets/normalisation";
import { previewCsv, suggestScaling, type CsvPreview } from "./csv-preview";

type Uploaded = { id: string; name: string; rows: number; features: number; classes: number; classNames: string[] };
type CreatedJob = { id: string; specHash: string; createTask: TaskArgs };
type FieldErrors = Record<string, string>;

const defaults = {
  hidden: "64",
  activation: "relu",
  layers: "2",
  heads: "4",
  dim: "64",
  context: "16",
  rounds: "5",
  shards: "8",
  localSteps: "20",
  batch: "32",
  learningRate: "0.05",
  outerLearningRate: "1",
  outerMomentum: "0",
  seed: "42",
  redundancy: "2",
  spotCheckRate: "0.05",
  minTier: "0",
  fee: "0",
};
type Fields = typeof defaults;

/** A language model's starting point: the names demo's (lib/jobs/demo.ts DEMO_NAMES_JOB), AdamW's learning rate. */
const languageDefaults: Partial<Fields> = { rounds: "10", shards: "4", localSteps: "25", batch: "16", learningRate: "0.003", outerLearningRate: "0.7", outerMomentum: "0.9" };
type Source = "mnist" | "iris" | "csv" | "names" | "brown" | "txt";

const input = "w-full rounded border border-line-strong bg-bg px-2 py-1 text-sm";

function Field({ label, name, error, children }: { label: string; name: string; error?: string; children: ReactNode }) {
  return (
    <label className="block text-sm" htmlFor={name}>
      <span className="text-muted">{label}</span>
      {children}
      {error ? <span role="alert" className="mt-1 block text-xs text-danger">{error}</span> : null}
    </label>
  );
}

function errorsByField(e: unknown): FieldErrors {
  if (!(e instanceof ApiRequestError)) return { form: (e as Error).message };
  const details = Array.isArray(e.details) ? (e.details as { path: string; message: string }[]) : [];
  const out: FieldErrors = { form: e.message };
  for (const d of details) out[d.path.split(".").pop() || "form"] = d.message;
  return out;
}

export function NewJobForm({ addresses }: { addresses: ContractAddresses | null }) {
  const router = useRouter();
  const { isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const { status } = useSession();
  const createTask = useCreateTask(addresses);
  const [task, setTask] = useState<"classifier" | "language">("classifier");
  const [source, setSource] = useState<Source>("mnist");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [label, setLabel] = useState("");
  const [scaling, setScaling] = useState<NormalisationKind>("per-feature");
  const [uploaded, setUploaded] = useState<Uploaded | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [fields, setFields] = useState<Fields>(defaults);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [step, setStep] = useState<string | null>(null);
  const signedIn = status === "authenticated";

  function pickTask(t: "classifier" | "language") {
    setTask(t);
    setSource(t === "language" ? "names" : "mnist");
    setFile(null);
    setPreview(null);
    setUploaded(null);
    setUploadError(null);
    setFields((f) => (t === "language" ? { ...f, ...languageDefaults } : { ...defaults, fee: f.fee, seed: f.seed }));
  }

  async function pickFile(f: File | null) {
    setFile(f);
    setUploaded(null);
    setUploadError(null);
    if (!f || source === "txt") return setPreview(null);
    const p = previewCsv(await f.slice(0, 64 * 1024).text());
    setPreview(p);
    setLabel(p.header.at(-1) ?? "");
    setScaling(suggestScaling(p, p.header.at(-1) ?? ""));
  }

  async function upload() {
    if (!file) return;
    setUploading(true);
    setUploadError(null);
    try {
      const form = new FormData();
      if (source === "txt") form.append("kind", "text");
      else form.append("label", label);
      form.append("file", file, file.name);
      setUploaded(await apiFetch<Uploaded>("/api/datasets", { method: "POST", body: form }));
    } catch (e) {
      setUploadError((e as Error).message);
    } finally {
      setUploading(false);
    }
  }

  const num = (k: keyof Fields) => Number(fields[k]);
  async function submit() {
    setErrors({});
    const dataset = source === "csv" || source === "txt" ? uploaded?.id : source;
    if (!dataset) return setErrors({ dataset: `upload the ${source === "txt" ? ".txt" : "CSV"} first` });
    const hidden = fields.hidden.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
    let fee: string;
    try {
      fee = parseEther(fields.fee.trim() || "0").toString();
      if (fee.startsWith("-")) throw new Error("negative");
    } catch {
      return setErrors({ fee: "a CXT amount, e.g. 0 or 12.5" });
    }
    const body = {
      dataset,
      ...(source === "csv" ? { normalisation: scaling } : {}),
      model:
        task === "language"
          ? { kind: "gpt", layers: num("layers"), heads: num("heads"), dim: num("dim"), context: num("context") }
          : { kind: "mlp", hidden, activation: fields.activation },
      hyper: {
        rounds: num("rounds"), shards: num("shards"), localSteps: num("localSteps"), batch: num("batch"),
        learningRate: num("learningRate"), outerLearningRate: num("outerLearningRate"), outerMomentum: num("outerMomentum"), seed: num("seed"),
      },
      redundancy: num("redundancy"),
      spotCheckRate: num("spotCheckRate"),
      minTier: num("minTier"),
      fee,
    };
    let job: CreatedJob;
    try {
      setStep("Creating the job…");
      job = await apiFetch<CreatedJob>("/api/jobs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    } catch (e) {
      setStep(null);
      return setErrors(errorsByField(e));
    }
    try {
      await createTask(job.createTask, setStep);
    } catch (e) {
      // The job exists; its page offers createTask again.
      setStep(null);
      setErrors({ form: `createTask was not sent: ${(e as Error).message.split("\n")[0]}` });
      router.push(`/jobs/${job.id}`);
      return;
    }
    router.push(`/jobs/${job.id}`);
  }

  const set = (k: keyof Fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [k]: e.target.value }));
  const numberField = (k: keyof Fields, lbl: string, step = "1") => (
    <Field label={lbl} name={k} error={errors[k]}>
      <input id={k} name={k} type="number" step={step} className={input} value={fields[k]} onChange={set(k)} aria-invalid={Boolean(errors[k])} />
    </Field>
  );

  if (!isConnected || !signedIn) {
    return (
      <div className="rounded border border-line p-6 text-sm">
        <p className="mb-3 text-muted">Connect your wallet and sign in to create a job.</p>
        <button type="button" className="rounded bg-accent-solid px-3 py-1.5 font-medium text-on-accent" onClick={() => openConnectModal?.()}>
          {isConnected ? "Sign in" : "Connect wallet"}
        </button>
      </div>
    );
  }

  return (
    <form className="grid gap-6 lg:grid-cols-2" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <fieldset className="space-y-3 rounded border border-line p-4">
        <legend className="px-1 text-sm font-medium">Dataset</legend>
        <div className="flex gap-4 text-sm" role="radiogroup" aria-label="Task">
          <label className="flex items-center gap-1">
            <input type="radio" name="task" value="classifier" checked={task === "classifier"} onChange={() => pickTask("classifier")} />
            Classifier (MLP)
          </label>
          <label className="flex items-center gap-1">
            <input type="radio" name="task" value="language" checked={task === "language"} onChange={() => pickTask("language")} />
            Language model
          </label>
        </div>
        <div className="flex gap-4 text-sm">
          {(task === "language" ? (["names", "brown", "txt"] as const) : (["mnist", "iris", "csv"] as const)).map((s) => (
            <label key={s} className="flex items-center gap-1">
              <input type="radio" name="source" value={s} checked={source === s} onChange={() => { setSource(s); setFile(null); setPreview(null); setUploaded(null); }} />
              {{ mnist: "MNIST (built-in)", iris: "Iris (built-in)", csv: "Upload a CSV", names: "Names (built-in)", brown: "Brown corpus (built-in)", txt: "Upload a .txt" }[s]}
            </label>
          ))}
        </div>
        {source === "txt" ? (
          <div className="space-y-3">
            <label htmlFor="txt-file" className="block cursor-pointer rounded border border-dashed border-line-strong p-4 text-center text-sm text-muted">
              {file ? file.name : "Choose a UTF-8 .txt (one example per line, ≤ 50 MB, ≤ 256 distinct characters)"}
              <input id="txt-file" type="file" accept=".txt,text/plain" className="sr-only" aria-label="Text file" onChange={(e) => void pickFile(e.target.files?.[0] ?? null)} />
            </label>
            {file ? (
              <button type="button" disabled={uploading} className="rounded border border-line-strong bg-surface px-3 py-1 text-sm disabled:opacity-50" onClick={() => void upload()}>
                {uploading ? "Uploading…" : "Upload text"}
              </button>
            ) : null}
            {uploadError ? <p role="alert" className="text-sm text-danger">{uploadError}</p> : null}
            {uploaded ? (
              <p className="text-sm text-ok" data-testid="uploaded">
                Uploaded {uploaded.name}: {uploaded.rows} examples, a vocabulary of {uploaded.classes} characters
              </p>
            ) : null}
          </div>
        ) : null}
        {source === "csv" ? (
          <div className="space-y-3">
            <label
              htmlFor="csv-file"
              className="block cursor-pointer rounded border border-dashed border-line-strong p-4 text-center text-sm text-muted"
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => { e.preventDefault(); void pickFile(e.dataTransfer.files[0] ?? null); }}
            >
              {file ? file.name : "Drop a CSV here or choose one"}
              <input id="csv-file" type="file" accept=".csv,text/csv" className="sr-only" aria-label="CSV file" onChange={(e) => void pickFile(e.target.files?.[0] ?? null)} />
            </label>
            {preview ? (
              <div className="space-y-2">
                <p className="text-xs text-muted">Detected columns: {preview.header.join(", ")}</p>
                <div className="overflow-x-auto">
                  <table aria-label="CSV preview" className="text-xs">
                    <thead><tr>{preview.header.map((h, i) => <th key={i} className="px-2 text-left font-medium">{h}</th>)}</tr></thead>
                    <tbody>{preview.rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j} className="px-2 text-muted">{c}</td>)}</tr>)}</tbody>
                  </table>
                </div>
                {preview.problems.map((p) => <p key={p} role="alert" className="text-xs text-warn">{p}</p>)}
                <Field label="Label column" name="label">
                  <select id="label" className={input} value={label} onChange={(e) => { setLabel(e.target.value); setScaling(suggestScaling(preview, e.target.value)); }}>
                    {preview.header.map((h) => <option key={h} value={h}>{h}</option>)}
                  </select>
                </Field>
                <Field label="Input scaling" name="normalisation" error={errors.normalisation}>
                  <select id="normalisation" className={input} value={scaling} onChange={(e) => setScaling(e.target.value as NormalisationKind)}>
                    <option value="per-feature">Per column (tabular data: columns in unrelated units)</option>
                    <option value="global">One scale for all columns (pixels of one image)</option>
                  </select>
                  <span className="mt-1 block text-xs text-muted">
                    {scaling === "global"
                      ? "One mean and standard deviation over every value: border pixels that are nearly always blank are not blown up."
                      : "Each column is standardised on its own."}
                  </span>
                </Field>
                <button type="button" disabled={uploading} className="rounded border border-line-strong bg-surface px-3 py-1 text-sm disabled:opacity-50" onClick={() => void upload()}>
                  {uploading ? "Uploading…" : "Upload dataset"}
                </button>
                {uploadError ? <p role="alert" className="text-sm text-danger">{uploadError}</p> : null}
                {uploaded ? (
                  <p className="text-sm text-ok" data-testid="uploaded">
                    Uploaded {uploaded.name}: {uploaded.rows} rows, {uploaded.features} features, {uploaded.classes} classes
                  </p>
                ) : null}
              </div>
            ) : null}
          </div>
        ) : null}
        {errors.dataset ? <p role="alert" className="text-xs text-danger">{errors.dataset}</p> : null}
      </fieldset>

      {task === "language" ? (
        <fieldset className="grid grid-cols-2 gap-3 rounded border border-line p-4">
          <legend className="px-1 text-sm font-medium">Model (language model: GPT-2 blocks, AdamW inside)</legend>
          {numberField("layers", "Layers")}
          {numberField("heads", "Attention heads (divide dim)")}
          {numberField("dim", "Width (dim)")}
          {numberField("context", "Context (characters)")}
          {errors.model ? <p role="alert" className="col-span-2 text-xs text-danger">{errors.model}</p> : null}
        </fieldset>
      ) : (
      <fieldset className="grid grid-cols-2 gap-3 rounded border border-line p-4">
        <legend className="px-1 text-sm font-medium">Model (MLP classifier)</legend>
        <Field label="Hidden layers (comma-separated)" name="hidden" error={errors.hidden}>
          <input id="hidden" className={input} value={fields.hidden} onChange={set("hidden")} />
        </Field>
        <Field label="Activation" name="activation" error={errors.activation}>
          <select id="activation" className={input} value={fields.activation} onChange={set("activation")}>
            <option value="relu">relu</option>
            <option value="tanh">tanh</option>
          </select>
        </Field>
      </fieldset>
      )}

      <fieldset className="grid grid-cols-2 gap-3 rounded border border-line p-4 lg:col-span-2 lg:grid-cols-4">
        <legend className="px-1 text-sm font-medium">Training</legend>
        {numberField("rounds", "Rounds R")}
        {numberField("shards", "Shards S")}
        {numberField("localSteps", "Local steps K")}
        {numberField("batch", "Batch B")}
        {numberField("learningRate", "Learning rate", "any")}
        {numberField("outerLearningRate", "Outer learning rate", "any")}
        {numberField("outerMomentum", "Outer momentum", "any")}
        {numberField("seed", "Seed")}
        {numberField("redundancy", "Redundancy k")}
        {numberField("spotCheckRate", "Spot-check rate", "any")}
        {numberField("minTier", "Min tier (0–3)")}
        {numberField("fee", "Fee (CXT)", "any")}
      </fieldset>

      <div className="flex items-center gap-4 lg:col-span-2">
        <button type="submit" disabled={step !== null || !addresses} className="rounded bg-accent-solid px-4 py-2 font-medium text-on-accent disabled:opacity-50">
          Create job
        </button>
        {step ? <span className="text-sm text-muted" role="status">{step}</span> : null}
        {errors.form ? <span role="alert" className="text-sm text-danger">{errors.form}</span> : null}
        {!addresses ? <span className="text-sm text-warn">No TaskManager deployment for this chain.</span> : null}
      </div>
    </form>
  );
}
