// The fragments API over HTTP for a worker holding a key (the node owner's or a delegated session
// key): claim and heartbeat authenticate with an EIP-712 WorkerAuth header, results carry an EIP-712
// FragmentResult signature (lib/protocol). Works in browsers, Web Workers and Node.
import type { LocalAccount } from "viem";
import {
  encodeFloat32, lossBits, RESULT_LOSS_HEADER, RESULT_SIGNATURE_HEADER, resultDomain, resultTypes,
  WORKER_AUTH_HEADER, WORKER_AUTH_MAX_SECONDS, workerAuthHeader, workerAuthTypes, type ClaimResponse,
} from "@/lib/protocol";
import { sha256Hex } from "./blob-cache";
import { WorkerApiError, type SubmitReceipt, type WorkerApi } from "./runtime";

export type HttpWorkerApiOptions = {
  /** origin of the app, e.g. http://localhost:3000 */
  api: string;
  account: Pick<LocalAccount, "address" | "signTypedData">;
  nodeId: bigint;
  chainId: number;
  fetch?: typeof fetch;
};

/** `{ error: { code, message } }` (or a network failure) → WorkerApiError; 429 and 5xx are retryable. */
async function failure(res: Response, what: string): Promise<WorkerApiError> {
  let code: string | null = null;
  let message = `${what}: HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error) {
      code = body.error.code ?? null;
      message = `${what}: ${body.error.message ?? res.statusText} (${res.status}${code ? ` ${code}` : ""})`;
    }
  } catch {
    // not JSON: keep the status line
  }
  return new WorkerApiError(message, res.status, code, res.status === 429 || res.status >= 500);
}

export type HttpWorkerApi = WorkerApi & {
  /** the x-corex-worker header value (refreshed before it expires) */
  authHeader(): Promise<string>;
  fetchJson<T>(path: string, init: RequestInit & { json?: unknown }, what: string): Promise<T>;
};

export function httpWorkerApi(o: HttpWorkerApiOptions): HttpWorkerApi {
  const doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  const base = o.api.replace(/\/$/, "");
  let auth: { value: string; expiresAt: number } | null = null;

  async function authHeader(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    if (auth && auth.expiresAt - now > 60) return auth.value;
    const expiresAt = now + WORKER_AUTH_MAX_SECONDS - 30;
    const signature = await o.account.signTypedData({
      domain: resultDomain(o.chainId), types: workerAuthTypes, primaryType: "WorkerAuth",
      message: { nodeId: o.nodeId, expiresAt: BigInt(expiresAt) },
    });
    auth = { value: workerAuthHeader(expiresAt, signature), expiresAt };
    return auth.value;
  }

  async function fetchJson<T>(path: string, init: RequestInit & { json?: unknown }, what: string): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set(WORKER_AUTH_HEADER, await authHeader());
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const res = await doFetch(`${base}${path}`, { ...init, headers, body });
    if (!res.ok) throw await failure(res, what);
    return (await res.json()) as T;
  }

  const nodeId = o.nodeId.toString();
  return {
    authHeader,
    fetchJson,
    async claim() {
      const { slots } = await fetchJson<ClaimResponse>("/api/fragments/claim", { method: "POST", json: { nodeId, max: 1 } }, "claim");
      return slots[0] ?? null;
    },
    async heartbeat(lease) {
      await fetchJson(`/api/fragments/${lease.slotId}/heartbeat`, { method: "POST", json: { nodeId } }, "heartbeat");
    },
    async submit(lease, delta, meanLoss): Promise<SubmitReceipt> {
      const bytes = encodeFloat32(delta);
      const loss = Math.fround(meanLoss);
      const signature = await o.account.signTypedData({
        domain: resultDomain(o.chainId), types: resultTypes, primaryType: "FragmentResult",
        message: {
          fragmentId: lease.fragmentId, replica: lease.replica, nodeId: o.nodeId, specHash: lease.specHash as `0x${string}`,
          round: lease.round, deltaSha256: `0x${await sha256Hex(bytes)}`, lossBits: lossBits(loss),
        },
      });
      return fetchJson<SubmitReceipt>(`/api/fragments/${lease.slotId}/result`, {
        method: "POST", body: bytes as Uint8Array<ArrayBuffer>,
        headers: { "content-type": "application/octet-stream", [RESULT_LOSS_HEADER]: String(loss), [RESULT_SIGNATURE_HEADER]: signature },
      }, "submit");
    },
    async abandon(lease) {
      // keepalive: the request outlives a closing tab
      await fetchJson(`/api/fragments/${lease.slotId}/abandon`, { method: "POST", json: { nodeId }, keepalive: true }, "abandon");
    },
    async blob(sha256) {
      const res = await doFetch(`${base}/api/blobs/${sha256}`);
      if (!res.ok) throw await failure(res, `blob ${sha256.slice(0, 12)}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}
