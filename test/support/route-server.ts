// A real HTTP server over the app's route handlers (in-process, no Next build): lets a child process
// (the CLI worker) talk HTTP to the API with the test's database and chain.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

type Handler = (request: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type RouteTable = [method: string, pattern: RegExp, handler: Handler, names?: string[]][];

export async function serveRoutes(routes: RouteTable): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const body = chunks.length && req.method !== "GET" ? Buffer.concat(chunks) : undefined;
    const request = new Request(url, { method: req.method, headers, body });
    for (const [method, pattern, handler, names = ["id"]] of routes) {
      const m = method === req.method ? pattern.exec(url.pathname) : null;
      if (!m) continue;
      const params = Object.fromEntries(names.map((n, i) => [n, m[i + 1]!]).filter(([, v]) => v !== undefined));
      const response = await handler(request, { params: Promise.resolve(params) });
      // Several Set-Cookie headers (a session and its hint cookie) stay several: fromEntries kept the last only.
      const head: Record<string, string | string[]> = Object.fromEntries(response.headers);
      if (response.headers.getSetCookie().length) head["set-cookie"] = response.headers.getSetCookie();
      res.writeHead(response.status, head);
      res.end(Buffer.from(await response.arrayBuffer()));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "not_found", message: `no route ${req.method} ${url.pathname}` } }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
