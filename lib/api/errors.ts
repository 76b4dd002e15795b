import { z } from "zod";

/**
 * Stable error codes of the HTTP API (documented in docs/reference/error-codes.md — a unit test keeps it complete — and in /api/openapi.json).
 * Clients switch on `code`; `message` is for humans and may change.
 */
export const errorCodes = [
  "invalid_json",
  "validation_failed",
  "payload_too_large",
  "unsupported_media_type",
  // an upload that ran past UPLOAD_TIMEOUT_SECONDS (408); every upload slot taken (503, Retry-After)
  "upload_timeout",
  "server_busy",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "cross_origin",
  "method_not_allowed",
  "siwe_invalid_message",
  "siwe_domain_mismatch",
  "siwe_uri_mismatch",
  "siwe_chain_mismatch",
  "siwe_expired",
  "siwe_not_yet_valid",
  "siwe_nonce_unknown",
  "siwe_nonce_used",
  "siwe_bad_signature",
  "csv_empty",
  "csv_duplicate_header",
  "csv_missing_label",
  "csv_ragged_row",
  "csv_non_numeric",
  "csv_too_few_classes",
  "csv_malformed",
  "dataset_not_found",
  // a published dataset its provider unlisted: refused to new jobs (issue 24)
  "dataset_unlisted",
  // uploaded .txt for language models (lib/datasets/text/errors.ts textErrorCodes)
  "text_too_large",
  "text_binary",
  "text_empty",
  "text_vocabulary",
  "text_too_small",
  "text_unknown_character",
  "invalid_delegation",
  // compute-poc (issue 10)
  "poc_wrong_product",
  "poc_replayed_answer",
  "poc_already_answered",
  "poc_expired",
  // fragments (lib/scheduler)
  "node_not_eligible",
  "lease_expired",
  "not_lease_holder",
  "slot_closed",
  "bad_signature",
  "delta_length",
  "delta_not_finite",
  "result_malformed",
  "result_conflict",
  // model registry uploads (lib/models/safetensors.ts safetensorsErrorCodes)
  "safetensors_malformed",
  "safetensors_mismatch",
  "safetensors_not_finite",
  "faucet_unavailable",
  "faucet_empty",
  "internal",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** An error that maps to an HTTP answer; thrown by lib code, rendered by `route()`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const unauthorized = (message = "sign in first (Sign-In with Ethereum)") => new ApiError(401, "unauthorized", message);
export const forbidden = (message: string) => new ApiError(403, "forbidden", message);
export const notFound = (message: string) => new ApiError(404, "not_found", message);

/** zod issues → `details`, one entry per refused field, and a message naming the first one. */
export function validationError(error: z.ZodError, where = "body"): ApiError {
  const details = error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  const first = details[0];
  const message = first ? `${where}${first.path ? `.${first.path}` : ""}: ${first.message}` : `invalid ${where}`;
  return new ApiError(400, "validation_failed", message, details);
}

export function errorJson(status: number, code: ErrorCode, message: string, details?: unknown, headers?: Record<string, string>): Response {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}
