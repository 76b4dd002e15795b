// A simulated worker that does over HTTP what the CLI worker does (claim → heartbeats → signed result),
// shared by bench:load and bench:soak. It reports every request to its sink and decides nothing about
// what counts as a failure: each bench has its own rule.
import { createHash } from "node:crypto";
import http from "node:http";
import type { Hex, PrivateKeyAccount } from "viem";
import {
  encodeFloat32, lossBits, modelParameterCount, RESULT_LOSS_HEADER, RESULT_SIGNATURE_HEADER, resultDomain, resultTypes, WORKER_AUTH_HEADER,
  WORKER_AUTH_MAX_SECONDS, workerAuthTypes, type ClaimedSlot,
} from "@/lib/protocol";

export const CHAIN_ID = 31337;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

// ── HTTP (keep-alive) ──
export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
export type Instance = { port: number; agent: http.Agent };
export function request(agent: http.Agent, port: number, method: string, pathname: string, headers: Record<string, string>, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: pathname, headers: { ...headers, ...(body ? { "content-length": String(body.length) } : {}) }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error("timeout after 30 s")));
    req.on("error", reject);
    req.end(body);
  });
}
export const errorCode = (r: Reply): string => {
  try {
    return (JSON.parse(r.body.toString()) as { error?: { code?: string } }).error?.code ?? `http_${r.status}`;
  } catch {
    return `http_${r.status}`;
  }
};
/** Answers to a live worker's heartbeat or result that mean its lease is gone. */
export const LOST_CODES = new Set(["lease_expired", "not_lease_holder", "slot_closed"]);

export type WorkerRequest = "claim" | "heartbeat" | "result";
/** What a worker tells its bench. `status` 0 is a network error, `code` then its message. */
export type WorkerSink = {
  request(kind: WorkerRequest, ms: number, status: number, code: string | null): void;
  leased(slotId: string, worker: number): void;
  released(slotId: string, worker: number): void;
  empty(): void;
};

export type WorkTiming = {
  /** Simulated compute per fragment, a uniform range in seconds. */
  compute: [number, number];
  /** Heartbeat period in seconds; null: a third of the lease, as lib/worker does. */
  heartbeatSeconds: number | null;
};

export class SimWorker {
  private auth: { value: string; expiresAt: number } | null = null;
  private running = true;
  constructor(
    readonly index: number, readonly nodeId: bigint, readonly key: PrivateKeyAccount, readonly app: Instance,
    private readonly sink: WorkerSink, private readonly timing: WorkTiming,
  ) {}

  private async authHeader(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    if (this.auth && this.auth.expiresAt - now > 60) return this.auth.value;
    const expiresAt = now + WORKER_AUTH_MAX_SECONDS - 30;
    const sig = await this.key.signTypedData({ domain: resultDomain(CHAIN_ID), types: workerAuthTypes, primaryType: "WorkerAuth", message: { nodeId: this.nodeId, expiresAt: BigInt(expiresAt) } });
    this.auth = { value: `${expiresAt}.${sig}`, expiresAt };
    return this.auth.value;
  }

  /** Sends one request and reports it; null after a network error. */
  private async send(kind: WorkerRequest, pathname: string, headers: Record<string, string>, body: Buffer): Promise<Reply | null> {
    const t0 = performance.now();
    try {
      const r = await request(this.app.agent, this.app.port, "POST", pathname, headers, body);
      this.sink.request(kind, performance.now() - t0, r.status, r.status < 300 ? null : errorCode(r));
      return r;
    } catch (e) {
      this.sink.request(kind, performance.now() - t0, 0, (e as Error).message);
      return null;
    }
  }

  /**
   * As lib/worker's runtime does for its idempotent requests (a heartbeat within its beat, a result until
   * it lands): a network error or 5xx is retried with the same back-off. Every failed try is still
   * reported to the sink, so the bench counts it.
   */
  private async sendRetrying(kind: WorkerRequest, pathname: string, headers: () => Promise<Record<string, string>>, body: Buffer, withinMs: number): Promise<Reply | null> {
    const deadline = Date.now() + withinMs;
    for (let attempt = 1; ; attempt++) {
      const r = await this.send(kind, pathname, await headers(), body);
      if (r && r.status < 500) return r;
      const cap = Math.min(30_000, 500 * 2 ** (attempt - 1));
      const wait = cap / 2 + Math.random() * (cap / 2);
      if (!this.running || Date.now() + wait > deadline) return r;
      await sleep(wait);
    }
  }

  private async postJson(kind: WorkerRequest, pathname: string, json: unknown): Promise<Reply | null> {
    // Signing the WorkerAuth header (every ~9 min) is the worker's CPU, not the server's latency.
    const auth = await this.authHeader();
    return this.send(kind, pathname, { "content-type": "application/json", [WORKER_AUTH_HEADER]: auth }, Buffer.from(JSON.stringify(json)));
  }

  stop() {
    this.running = false;
  }

  /** Claims and works until stopped; `cycles` (warm-up) ends it sooner, `computeMs` overrides the range. */
  async run(opts: { cycles?: number; computeMs?: number } = {}): Promise<void> {
    for (let cycle = 0; this.running && cycle < (opts.cycles ?? Infinity); cycle++) {
      const reply = await this.postJson("claim", "/api/fragments/claim", { nodeId: this.nodeId.toString(), max: 1 });
      if (reply?.status !== 200) {
        await sleep(2_000);
        continue;
      }
      const slot = (JSON.parse(reply.body.toString()) as { slots: ClaimedSlot[] }).slots[0];
      if (!slot) {
        this.sink.empty();
        await sleep(5_000);
        continue;
      }
      this.sink.leased(slot.slotId, this.index);
      await this.work(slot, opts.computeMs);
      this.sink.released(slot.slotId, this.index);
    }
  }

  /** "Computes" with heartbeats, then signs and submits a delta of the right length. */
  private async work(slot: ClaimedSlot, fixedMs?: number): Promise<void> {
    const [min, max] = this.timing.compute;
    const computeMs = fixedMs ?? (min + Math.random() * (max - min)) * 1000;
    const end = Date.now() + computeMs;
    const beatMs = fixedMs !== undefined ? fixedMs / 2 : this.timing.heartbeatSeconds !== null ? this.timing.heartbeatSeconds * 1000 : (slot.leaseSeconds * 1000) / 3;
    // Beats at fixed times while computing, as lib/worker's interval does. (Sleeping until the end and
    // then comparing clocks sent a stray heartbeat whenever the timer fired a millisecond early.)
    for (let next = Date.now() + beatMs; next < end; next += beatMs) {
      await sleep(Math.max(0, next - Date.now()));
      if (!this.running) return;
      const beat = Buffer.from(JSON.stringify({ nodeId: this.nodeId.toString() }));
      const r = await this.sendRetrying("heartbeat", `/api/fragments/${slot.slotId}/heartbeat`, async () => ({ "content-type": "application/json", [WORKER_AUTH_HEADER]: await this.authHeader() }), beat, beatMs / 2);
      if (r && LOST_CODES.has(errorCode(r))) return;
    }
    await sleep(Math.max(0, end - Date.now()));
    if (!this.running) return;
    const delta = new Float32Array(modelParameterCount(slot.inputs.model)).map(() => (Math.random() - 0.5) * 1e-3);
    const bytes = Buffer.from(encodeFloat32(delta));
    const loss = Math.fround(0.5 + Math.random());
    const signature = await this.key.signTypedData({
      domain: resultDomain(CHAIN_ID), types: resultTypes, primaryType: "FragmentResult",
      message: {
        fragmentId: slot.fragmentId, replica: slot.replica, nodeId: this.nodeId, specHash: slot.specHash as Hex, round: slot.round,
        deltaSha256: `0x${createHash("sha256").update(bytes).digest("hex")}`, lossBits: lossBits(loss),
      },
    });
    const headers = { "content-type": "application/octet-stream", [RESULT_LOSS_HEADER]: String(loss), [RESULT_SIGNATURE_HEADER]: signature };
    await this.sendRetrying("result", `/api/fragments/${slot.slotId}/result`, async () => headers, bytes, slot.leaseSeconds * 1000);
  }
}
