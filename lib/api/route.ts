import { serverEnv } from "@/lib/env";
import { addressKey, clientAddress } from "./client-address";
import { ApiError, errorJson } from "./errors";
import type { Throttle } from "./throttle";

type Handler<C> = (request: Request, context: C) => Promise<Response>;

export type RouteOptions = {
  /** Counts every request of a client; over budget, 429 before the handler runs. */
  requests?: Throttle;
  /**
   * Counts a client's refused requests (401, 403, 404: bad credentials, someone else's node, made-up
   * ids); over budget, every request of that client is 429 before the handler runs — before it reads a
   * body, recovers a signature or asks the database.
   */
  failures?: Throttle;
};

const REFUSED = new Set([401, 403, 404]);

/** Methods that change state: a browser sends them cross-origin without asking (forms, no-cors fetch). */
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Wraps a route handler: refuses cross-origin state changes (403 `cross_origin`), applies the route's
 * in-memory budgets, and renders errors: ApiError → its status and `{ error: { code, message, details? } }`;
 * anything else → 500 `internal` (logged, message not leaked).
 */
export function route<C = unknown>(handler: Handler<C>, options: RouteOptions = {}): Handler<C> {
  return async (request, context) => {
    let client: string | undefined;
    try {
      if (UNSAFE.has(request.method)) assertSameOrigin(request);
      if (options.requests || options.failures) {
        client = clientIp(request);
        options.failures?.check(client);
        options.requests?.take(client);
      }
      return await handler(request, context);
    } catch (e) {
      if (e instanceof ApiError) {
        if (client !== undefined && REFUSED.has(e.status)) options.failures?.hit(client);
        return errorJson(e.status, e.code, e.message, e.details, e.headers);
      }
      console.error(`${request.method} ${new URL(request.url).pathname}:`, e);
      return errorJson(500, "internal", "internal error");
    }
  };
}

/**
 * Browsers send `Origin` with every POST, PUT, PATCH and DELETE (and `Sec-Fetch-Site` on all of them in
 * current engines). A state change is accepted from this app's own pages only: Origin equal to
 * APP_ORIGIN, or on the host the request was sent to (the browser sets Host to the URL it fetches, so
 * another site cannot match it). Clients that are not browsers send neither header and carry no
 * victim's cookies: they pass.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null) {
    const site = request.headers.get("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none") throw crossOrigin(`a ${site} request`);
    return;
  }
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    // "null" (sandboxed frames, data: URLs, some redirects) or garbage: not one of our pages.
  }
  if (url && url.host === request.headers.get("host")) return;
  const configured = serverEnv().APP_ORIGIN;
  if (url && configured && url.origin === new URL(configured).origin) return;
  throw crossOrigin(`Origin ${origin}`);
}

const crossOrigin = (what: string) => new ApiError(403, "cross_origin", `${what} may not change state here: this API accepts writes from this app's own pages only`);

/** The client's rate-limit key: its address per TRUSTED_PROXY_COUNT (lib/api/client-address.ts), IPv6 by /64. */
export function clientIp(request: Request): string {
  return addressKey(clientAddress(request, serverEnv().TRUSTED_PROXY_COUNT));
}

export const noStore = { "cache-control": "no-store" } as const;

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type Fallback = (request: Request) => Promise<Response>;

/**
 * JSON 405 handlers for the methods a route does not have (Next would answer them with an empty 405):
 * `export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");` in each route file. A test
 * (lib/api/routes.test.ts) checks that every route file answers every method.
 */
export function otherMethods(...allowed: Method[]): Record<Method, Fallback> {
  const allow = allowed.join(", ");
  const answer: Fallback = async (request) =>
    errorJson(405, "method_not_allowed", `${request.method} is not supported here; allowed: ${allow}`, undefined, { allow });
  return Object.fromEntries(METHODS.map((m) => [m, answer])) as Record<Method, Fallback>;
}

/** The JSON 404 of every /api path no route matches (app/api/[...path]/route.ts). */
export const apiNotFound: Fallback = async (request) =>
  errorJson(404, "not_found", `no API route ${request.method} ${new URL(request.url).pathname} (see /api/openapi.json)`);
