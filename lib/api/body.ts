import type { z } from "zod";
import { ApiError, validationError } from "./errors";

/** Default limit for JSON bodies: every route that takes a body has one. */
export const DEFAULT_JSON_LIMIT = 64 * 1024;

export const payloadTooLarge = (limit: number) =>
  new ApiError(413, "payload_too_large", `request body is larger than the limit of ${limit} bytes`, { limit });

/**
 * Reads the body as bytes and stops (413) as soon as it passes `limit`, without buffering more;
 * a Content-Length above the limit is refused before reading anything.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge(limit);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** JSON body → zod schema (use `.strict()` schemas): 415, 413, 400 invalid_json, 400 validation_failed. */
export async function parseJson<S extends z.ZodType>(request: Request, schema: S, limit = DEFAULT_JSON_LIMIT): Promise<z.infer<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "send the body as application/json");
  }
  const bytes = await readBodyLimited(request, limit);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ApiError(400, "invalid_json", `body is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Path or query parameters → zod schema (400 validation_failed naming the parameter). */
export function parseParams<S extends z.ZodType>(value: unknown, schema: S, where = "path"): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, where);
  return parsed.data;
}
