// Where an upload stands, for the page that sent it: the client names its upload (header x-upload-id)
// and polls GET /api/datasets/uploads/{id} while it sends. Kept in this process's memory: behind a load
// balancer without sticky sessions a poll may reach another instance and get 404, and the client then
// shows its own transfer progress only. Bounded: finished entries go after KEEP_MS, and past
// MAX_ENTRIES the oldest go first.
import { ApiError } from "@/lib/api";
import type { UploadStatus } from "./schemas";
import { UPLOAD_ID_HEADER, UPLOAD_ID_RE } from "./upload-id";
const KEEP_MS = 5 * 60_000;
const MAX_ENTRIES = 1_000;

const entries = new Map<string, { status: UploadStatus; expires: number }>();
const keyOf = (owner: string, id: string) => `${owner.toLowerCase()}:${id}`;

function prune(now: number): void {
  for (const [k, e] of entries) if (e.expires <= now) entries.delete(k);
  while (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

export type UploadTracker = {
  update(p: Partial<Pick<UploadStatus, "phase" | "bytes" | "rows">>): void;
  done(datasetId: string): void;
  failed(e: unknown): void;
};

const untracked: UploadTracker = { update: () => undefined, done: () => undefined, failed: () => undefined };

/** Starts tracking the upload the request names (none named: nothing is kept); a malformed id is a 400. */
export function trackUpload(owner: string, request: Request): UploadTracker {
  const id = request.headers.get(UPLOAD_ID_HEADER);
  if (id === null) return untracked;
  if (!UPLOAD_ID_RE.test(id)) throw new ApiError(400, "validation_failed", `header ${UPLOAD_ID_HEADER}: 8 to 64 letters, digits, "-" or "_"`);
  const now = Date.now();
  prune(now);
  const key = keyOf(owner, id);
  const entry = { status: { phase: "receiving", bytes: 0, rows: 0, datasetId: null, error: null } as UploadStatus, expires: now + KEEP_MS };
  entries.delete(key);
  entries.set(key, entry);
  const finish = (patch: Partial<UploadStatus>) => {
    entry.status = { ...entry.status, ...patch };
    entry.expires = Date.now() + KEEP_MS;
  };
  return {
    update: (p) => void (entry.status = { ...entry.status, ...p }),
    done: (datasetId) => finish({ phase: "done", datasetId }),
    failed: (e) => finish({ phase: "failed", error: e instanceof ApiError ? { code: e.code, message: e.message } : { code: "internal", message: "internal error" } }),
  };
}

/** The caller's upload `id`, while this process remembers it. */
export function uploadStatus(owner: string, id: string): UploadStatus | null {
  prune(Date.now());
  return entries.get(keyOf(owner, id))?.status ?? null;
}
