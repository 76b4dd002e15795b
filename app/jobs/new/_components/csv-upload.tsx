import { Select } from "@/components/ui/input";
import type { NormalisationKind } from "@/lib/datasets/client";
import type { CsvPreview } from "./csv-preview";
import { Field } from "./field";
import { UploadProgressBar } from "./upload-progress";
import type { DatasetState } from "./use-dataset";

/** Drop or pick a CSV; its preview, label column and input scaling appear once it is read. */
export function CsvUpload({ dataset, scalingError }: { dataset: DatasetState; scalingError?: string }) {
  const { file, preview, pickFile } = dataset;
  return (
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
      {preview ? <CsvChoices dataset={dataset} preview={preview} scalingError={scalingError} /> : null}
    </div>
  );
}

function CsvChoices({ dataset, preview, scalingError }: { dataset: DatasetState; preview: CsvPreview; scalingError?: string }) {
  const { label, chooseLabel, scaling, setScaling, uploaded, uploadError, uploading, upload } = dataset;
  return (
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
        <Select compact id="label" value={label} onChange={(e) => chooseLabel(e.target.value)}>
          {preview.header.map((h) => <option key={h} value={h}>{h}</option>)}
        </Select>
      </Field>
      <Field label="Input scaling" name="normalisation" error={scalingError}>
        <Select compact id="normalisation" value={scaling} onChange={(e) => setScaling(e.target.value as NormalisationKind)}>
          <option value="per-feature">Per column (tabular data)</option>
          <option value="global">One scale for all (pixels)</option>
        </Select>
        <span className="mt-1 block text-xs text-muted">
          {scaling === "global"
            ? "One mean and standard deviation over every value: border pixels that are nearly always blank are not blown up."
            : "Each column is standardised on its own."}
        </span>
      </Field>
      <button type="button" disabled={uploading} className="rounded border border-line-strong bg-surface px-3 py-1 text-sm disabled:opacity-50" onClick={() => void upload()}>
        {uploading ? "Uploading…" : "Upload dataset"}
      </button>
      <UploadProgressBar dataset={dataset} />
      {uploadError ? <p role="alert" className="text-sm text-danger">{uploadError}</p> : null}
      {uploaded ? (
        <p className="text-sm text-ok" data-testid="uploaded">
          Uploaded {uploaded.name}: {uploaded.rows} rows, {uploaded.features} features, {uploaded.classes} classes
        </p>
      ) : null}
    </div>
  );
}
