// A JSON-RPC proxy for failure injection: forwards POSTs to a real node (anvil) and, as told, drops
// the connection, answers HTTP 503, or delays the answer. It records every call it forwarded, so
// tests can also check which blocks a client asked for.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Fault = "drop" | "503" | "delay";

export type RpcCall = { method: string; params: unknown[] };

export type RpcProxy = {
  url: string;
  /** Calls forwarded to the node (each member of a batch on its own). */
  calls: RpcCall[];
  /** Faults injected so far, by kind. */
  injected: Record<Fault, number>;
  /** Inject faults into this share of requests (0 = none); with `methods`, only into calls of those methods. */
  setFaults(opts: { rate: number; kinds?: Fault[]; delayMs?: number; methods?: string[] }): void;
  close(): Promise<void>;
};

export async function startRpcProxy(target: string, seed = 1): Promise<RpcProxy> {
  let rate = 0;
  let kinds: Fault[] = ["drop", "503", "delay"];
  let delayMs = 2_000;
  let methods: string[] | undefined;
  let s = seed >>> 0;
  const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const calls: RpcCall[] = [];
  const injected: Record<Fault, number> = { drop: 0, "503": 0, delay: 0 };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString();
      const targeted = !methods || methodsOf(body).some((m) => methods!.includes(m));
      const fault = targeted && random() < rate ? kinds[Math.floor(random() * kinds.length)] : null;
      if (fault) injected[fault]++;
      if (fault === "drop") return req.socket.destroy();
      if (fault === "503") {
        res.writeHead(503, { "content-type": "text/plain" });
        return res.end("injected: service unavailable");
      }
      if (fault === "delay") await new Promise((r) => setTimeout(r, delayMs));
      try {
        const parsed = JSON.parse(body) as { method: string; params?: unknown[] } | { method: string; params?: unknown[] }[];
        for (const c of Array.isArray(parsed) ? parsed : [parsed]) calls.push({ method: c.method, params: c.params ?? [] });
        const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
        const text = await upstream.text();
        if (res.destroyed) return; // the client gave up (timeout) while we waited
        res.writeHead(upstream.status, { "content-type": "application/json" });
        res.end(text);
      } catch (e) {
        if (!res.destroyed) {
          res.writeHead(502, { "content-type": "text/plain" });
          res.end(`proxy: ${(e as Error).message}`);
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    injected,
    setFaults(opts) {
      rate = opts.rate;
      if (opts.kinds) kinds = opts.kinds;
      if (opts.delayMs !== undefined) delayMs = opts.delayMs;
      methods = opts.methods;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function methodsOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { method: string } | { method: string }[];
    return (Array.isArray(parsed) ? parsed : [parsed]).map((c) => c.method);
  } catch {
    return [];
  }
}
