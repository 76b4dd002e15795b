// POST /api/datasets with progress. fetch reports nothing of a request body as it goes out, so this is
// an XMLHttpRequest (its upload events give the bytes sent) that also names the upload (x-upload-id) and
// polls GET /api/datasets/uploads/{id} for what the server has parsed: the server reads the body only as
// fast as its worker parses it, so the two stay within a few MB until the last phase (building the
// table, storing it), which only the server's status shows.
import { ApiRequestError, type ApiErrorBody } from "@/lib/auth/client";
import { UPLOAD_ID_HEADER, type UploadStatus } from "@/lib/datasets/client";

export type UploadProgress = { sent: number; parsed: number; rows: number; phase: UploadStatus["phase"] | "sending" };

const POLL_MS = 500;
const MB = 1024 * 1024;

/** What the progress bar shows: a label, a fraction and its detail. */
export function describeProgress(p: UploadProgress, size: number): { label: string; value: number; detail: string } {
  const mb = (n: number) => (n / MB).toFixed(1);
  const rows = p.rows > 0 ? ` · ${p.rows.toLocaleString("en")} rows` : "";
  if (p.phase === "finishing") return { label: "Building the table", value: 1, detail: `${mb(size)} MB${rows}` };
  if (p.phase === "storing" || p.phase === "done") return { label: "Storing the dataset", value: 1, detail: `${mb(size)} MB${rows}` };
  const parsed = p.phase === "sending" ? 0 : p.parsed;
  if (parsed > 0) return { label: "Reading and checking", value: size > 0 ? parsed / size : 0, detail: `${mb(parsed)} of ${mb(size)} MB${rows}` };
  return { label: "Sending", value: size > 0 ? p.sent / size : 0, detail: `${mb(p.sent)} of ${mb(size)} MB` };
}

/** Sends `form` (its file `size` bytes), reporting progress; resolves with the stored dataset, or throws ApiRequestError. */
export function uploadWithProgress<T>(form: FormData, onProgress: (p: UploadProgress) => void): Promise<T> {
  const id = crypto.randomUUID();
  const progress: UploadProgress = { sent: 0, parsed: 0, rows: 0, phase: "sending" };
  const report = () => onProgress({ ...progress });
  let polling = true;
  const poll = async () => {
    while (polling) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const res = await fetch(`/api/datasets/uploads/${id}`, { cache: "no-store", credentials: "same-origin" }).catch(() => null);
      if (!polling || !res?.ok) continue; // 404 until the server has started it (or on another instance): the transfer progress stands
      const s = (await res.json()) as UploadStatus;
      Object.assign(progress, { parsed: s.bytes, rows: s.rows, phase: s.phase === "failed" ? progress.phase : s.phase });
      report();
    }
  };
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/datasets");
    xhr.setRequestHeader(UPLOAD_ID_HEADER, id);
    xhr.upload.onprogress = (e) => {
      progress.sent = e.loaded;
      report();
    };
    xhr.onload = () => {
      polling = false;
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's error page
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      const err = (body as ApiErrorBody | null)?.error;
      reject(new ApiRequestError(xhr.status, err?.code ?? "internal", err?.message ?? `HTTP ${xhr.status}`, err?.details));
    };
    xhr.onerror = () => {
      polling = false;
      reject(new Error("the upload failed: network error"));
    };
    xhr.send(form);
    void poll();
  });
}
