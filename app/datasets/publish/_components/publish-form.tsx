"use client";

import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useAccount } from "wagmi";
import { useSession } from "@/components/auth-provider";
import { Button } from "@/components/ui/button";
import { Input, Select, Textarea } from "@/components/ui/input";
import { apiFetch, ApiRequestError } from "@/lib/auth/client";
import { licenseIds, MAX_DESCRIPTION_BYTES, MAX_FEE_BPS } from "@/lib/datasets/client";
import { previewCsv } from "@/app/jobs/new/_components/csv-preview";
import { uploadWithProgress } from "@/app/jobs/new/_components/upload-request";
import { buildPublishRequest, type PublishErrors, type PublishFields } from "./publish-request";

type Uploaded = { id: string };

function Labelled({ label, htmlFor, hint, error, children }: { label: string; htmlFor: string; hint?: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1 text-sm">
      <label htmlFor={htmlFor} className="block text-muted">
        {label}
      </label>
      {children}
      {hint ? <p className="text-xs text-muted">{hint}</p> : null}
      {error ? (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Publishing: the file (a CSV with its label column, or a .txt), then the terms. The terms are checked
 * first, so a bad licence or share uploads nothing; then the upload, then the publish call.
 */
export function PublishForm({ supersedes }: { supersedes: string | null }) {
  const router = useRouter();
  const { isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const { status } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [label, setLabel] = useState("");
  const [fields, setFields] = useState<PublishFields>({ title: "", description: "", license: "CC-BY-4.0", share: "10", supersedes: supersedes ?? "" });
  const [errors, setErrors] = useState<PublishErrors>({});
  const [step, setStep] = useState<string | null>(null);
  const text = file ? /\.txt$/i.test(file.name) : false;

  if (!isConnected || status !== "authenticated") {
    return (
      <div className="rounded border border-line p-6 text-sm">
        <p className="mb-3 text-muted">Connect your wallet and sign in to publish a dataset: the account that publishes it is paid its share.</p>
        <Button type="button" onClick={() => openConnectModal?.()}>
          {isConnected ? "Sign in" : "Connect wallet"}
        </Button>
      </div>
    );
  }

  const set = (k: keyof PublishFields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [k]: e.target.value }));

  async function pick(f: File | null) {
    setFile(f);
    setErrors((e) => ({ ...e, file: undefined }));
    if (!f || /\.txt$/i.test(f.name)) return setColumns([]);
    const p = previewCsv(await f.slice(0, 64 * 1024).text());
    setColumns(p.header);
    setLabel(p.header.at(-1) ?? "");
    if (!fields.title) setFields((x) => ({ ...x, title: f.name.replace(/\.(csv|txt)$/i, "") }));
  }

  async function submit() {
    const request = buildPublishRequest(fields);
    const fileError = file ? undefined : "Choose a CSV or a .txt file";
    if ("errors" in request || fileError) return setErrors({ ...("errors" in request ? request.errors : {}), file: fileError });
    setErrors({});
    try {
      setStep("Uploading…");
      const form = new FormData();
      if (text) form.append("kind", "text");
      else form.append("label", label);
      form.append("name", fields.title.slice(0, 200));
      form.append("file", file!, file!.name);
      const uploaded = await uploadWithProgress<Uploaded>(form, () => {});
      setStep("Publishing…");
      await apiFetch(`/api/datasets/${uploaded.id}/publish`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request.body) });
      router.push(`/datasets/${uploaded.id}`);
    } catch (e) {
      setStep(null);
      const details = e instanceof ApiRequestError && Array.isArray(e.details) ? (e.details as { path: string; message: string }[]) : [];
      const byField: PublishErrors = {};
      for (const d of details) byField[(d.path === "feeBps" ? "share" : d.path) as keyof PublishErrors] = d.message;
      setErrors({ ...byField, form: (e as Error).message });
    }
  }

  return (
    <form className="grid max-w-3xl gap-5" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <Labelled label="File (a CSV with a header row, or a .txt for language models)" htmlFor="publish-file" error={errors.file}>
        <input id="publish-file" type="file" accept=".csv,text/csv,.txt,text/plain" className="block text-sm" onChange={(e) => void pick(e.target.files?.[0] ?? null)} />
      </Labelled>
      {columns.length ? (
        <Labelled label="Label column" htmlFor="publish-label" hint={`Columns: ${columns.join(", ")}; the others are the features.`}>
          <Select compact id="publish-label" value={label} onChange={(e) => setLabel(e.target.value)}>
            {columns.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </Labelled>
      ) : null}
      <Labelled label="Title" htmlFor="publish-title" error={errors.title}>
        <Input id="publish-title" value={fields.title} maxLength={200} onChange={set("title")} />
      </Labelled>
      <Labelled label="Description (Markdown)" htmlFor="publish-description" hint={`Where the data comes from, what each column means, known gaps. At most ${MAX_DESCRIPTION_BYTES / 1024} KB.`} error={errors.description}>
        <Textarea id="publish-description" rows={8} value={fields.description} onChange={set("description")} />
      </Labelled>
      <div className="grid gap-5 sm:grid-cols-2">
        <Labelled label="Licence (SPDX identifier)" htmlFor="publish-license" hint="e.g. CC-BY-4.0, CC0-1.0, ODbL-1.0, MIT" error={errors.license}>
          <Input id="publish-license" list="spdx-licenses" value={fields.license} onChange={set("license")} autoComplete="off" />
          <datalist id="spdx-licenses">
            {licenseIds.map((l) => (
              <option key={l} value={l} />
            ))}
          </datalist>
        </Labelled>
        <Labelled label="Fee share (%)" htmlFor="publish-share" hint={`Your share of the fee of every job that trains on it, 0–${MAX_FEE_BPS / 100}%: paid before the nodes' shares, for accepted work.`} error={errors.share}>
          <Input id="publish-share" type="number" min={0} max={MAX_FEE_BPS / 100} step="0.01" value={fields.share} onChange={set("share")} />
        </Labelled>
      </div>
      {fields.supersedes ? <p className="text-sm text-muted">A new version of dataset <span className="font-mono text-xs">{fields.supersedes}</span>: it links back to it.</p> : null}
      <p className="text-xs text-muted">Once published, the content (its sha-256) and these terms cannot change: a correction is a new version.</p>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={step !== null}>
          Publish dataset
        </Button>
        {step ? <span role="status" className="text-sm text-muted">{step}</span> : null}
      </div>
      {errors.form ? (
        <p role="alert" className="text-sm text-danger">
          {errors.form}
        </p>
      ) : null}
    </form>
  );
}
