import { ApiError, errorJson } from "./errors";

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/**
 * Wraps a route handler: ApiError → its status and `{ error: { code, message, details? } }`;
 * anything else → 500 `internal` (logged, message not leaked).
 */
export function route<C = unknown>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (e) {
      if (e instanceof ApiError) return errorJson(e.status, e.code, e.message, e.details, e.headers);
      console.error(`${request.method} ${new URL(request.url).pathname}:`, e);
      return errorJson(500, "internal", "internal error");
    }
  };
}

/** Client IP for rate limits: the first X-Forwarded-For hop (set by the proxy in front), else X-Real-IP. */
export function clientIp(request: Request): string {
  const fwd = request.headers.get("x-forwarded-for");
  if (fwd) return fwd.split(",")[0]!.trim();
  return request.headers.get("x-real-ip") ?? "unknown";
}

export const noStore = { "cache-control": "no-store" } as const;
