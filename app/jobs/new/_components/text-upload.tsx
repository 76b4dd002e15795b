import { UploadProgressBar } from "./upload-progress";
import type { DatasetState } from "./use-dataset";

/** Pick a .txt for a language model and upload it; the server checks the text and builds the vocabulary. */
export function TextUpload({ dataset }: { dataset: DatasetState }) {
  const { file, pickFile, uploaded, uploadError, uploading, upload } = dataset;
  return (
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
      <UploadProgressBar dataset={dataset} />
      {uploadError ? <p role="alert" className="text-sm text-danger">{uploadError}</p> : null}
      {uploaded ? (
        <p className="text-sm text-ok" data-testid="uploaded">
          Uploaded {uploaded.name}: {uploaded.rows} examples, a vocabulary of {uploaded.classes} characters
        </p>
      ) : null}
    </div>
  );
}
