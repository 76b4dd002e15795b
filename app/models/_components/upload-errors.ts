import { ApiRequestError } from "@/lib/auth/client";
import { formatBytes } from "@/lib/models/client";

/** The server's refusal as a sentence a person can act on (the message already names the tensor or field). */
export function uploadErrorInWords(e: unknown, maxBytes: number): string {
  if (!(e instanceof ApiRequestError)) return `The upload did not reach the server: ${(e as Error).message}.`;
  if (e.status === 413) return `The file is larger than the ${formatBytes(maxBytes)} limit for a model upload.`;
  if (e.status === 401 || e.status === 403) return `Sign in again to upload: ${e.message}`;
  if (e.status === 429) return `Too many uploads just now: ${e.message}`;
  if (e.status === 400 || e.status === 422 || e.status === 415) return `The model was refused and nothing was stored: ${e.message}`;
  return `The server could not store the model (${e.status}): ${e.message}`;
}
