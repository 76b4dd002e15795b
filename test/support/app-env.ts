// Route handlers read their configuration from process.env (lib/env.ts) and the shared Prisma client
// (lib/db). Integration tests call the handlers in-process with real Requests: point both at the
// test's database and chain before the first route module is imported.
export function useAppEnv(env: Record<string, string>): void {
  Object.assign(process.env, env);
  delete (globalThis as { __corexPrisma?: unknown }).__corexPrisma;
}

export const APP = "http://localhost:3000";

export function req(path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}): Request {
  const headers = new Headers(init.headers);
  headers.set("host", new URL(APP).host);
  if (init.cookie) headers.set("cookie", init.cookie);
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
