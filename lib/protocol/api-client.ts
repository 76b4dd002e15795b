// The typed HTTP client of the coordinator API: openapi-fetch over the paths and schemas that
// `npm run client:generate` derives from the OpenAPI document (./api.gen.ts, the routes' zod schemas),
// so a changed route fails typecheck in every caller. Isomorphic: the CLI worker, the browser worker,
// the `corex` command and the e2e helpers build on it.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./api.gen";

export type ApiPaths = paths;
export type ApiSchemas = components["schemas"];
export type ApiClient = Client<paths>;
/** `{ error: { code, message, details? } }`: every refusal of the API. */
export type ApiErrorBody = ApiSchemas["Error"];

/** A client for the API at `origin` (e.g. http://localhost:3000); `fetch`, headers and middleware as openapi-fetch takes them. */
export function createApiClient(origin: string, opts: Omit<ClientOptions, "baseUrl"> = {}): ApiClient {
  return createClient<paths>({ ...opts, baseUrl: origin.replace(/\/$/, "") });
}

/** A refused or failed API call: the HTTP status and, when the body was the API's error shape, its code. */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiCallError";
  }
}

/**
 * An openapi-fetch `error` (the parsed body of a non-2xx answer) → ApiCallError whose message says what
 * was attempted, the API's message, the status and the code: `claim: node 3 is barred (403 node_not_eligible)`.
 */
export function apiCallError(what: string, response: Response, error: unknown): ApiCallError {
  const body = (typeof error === "object" && error !== null && "error" in error ? (error as { error: unknown }).error : null) as { code?: unknown; message?: unknown; details?: unknown } | null;
  const code = typeof body?.code === "string" ? body.code : null;
  if (typeof body?.message !== "string") return new ApiCallError(`${what}: HTTP ${response.status}`, response.status, code);
  return new ApiCallError(`${what}: ${body.message} (${response.status}${code ? ` ${code}` : ""})`, response.status, code, body.details);
}

/** Body serializer for `application/octet-stream` bodies: the bytes as they are. */
export const rawBody = (body: unknown) => body as BodyInit;
