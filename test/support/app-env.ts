// Route handlers read their configuration from process.env (lib/env.ts) and the shared Prisma client
// (lib/db). Integration tests call the handlers in-process with real Requests: point both at the
// test's database and chain before the first route module is imported.
export function useAppEnv(env: Record<string, string>): void {
  Object.assign(process.env, env);
  delete (globalThis as { __corexPrisma?: unknown }).__corexPrisma;
}

export const APP = "http://localhost:3000";

// Route handlers take the client's address (rate limits) from the header the app's HTTP server stamps
// with each request's TCP peer (lib/api/peer-stamp.ts, installed by instrumentation-node.ts). Requests
// made in-process have no server: the handlers are told the stamp is in place, and `req(…, { peer })`
// says which address a request came from (none: every such request is one client, "unknown").
(globalThis as Record<symbol, unknown>)[Symbol.for("corex.peer-stamp")] = true;
export const PEER_HEADER = "x-corex-peer";

export function req(path: string, init: RequestInit & { cookie?: string; json?: unknown; peer?: string } = {}): Request {
  const headers = new Headers(init.headers);
  headers.set("host", new URL(APP).host);
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.peer) headers.set(PEER_HEADER, init.peer);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return new Request(`${APP}${path}`, { ...init, headers, body });
}

/** `name=value` of the Set-Cookie header, for the next request's Cookie header. */
export const cookieOf = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";

export const noCtx = { params: Promise.resolve({}) } as never;
export const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });
