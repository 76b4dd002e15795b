// The fragments API over HTTP for a worker holding a key (the node owner's or a delegated session
// key): claim and heartbeat authenticate with an EIP-712 WorkerAuth header, results carry an EIP-712
// FragmentResult signature (lib/protocol). Every call goes through the typed client generated from the
// OpenAPI document (createApiClient), so a changed route fails typecheck here. Works in browsers, Web
// Workers and Node.
import type { LocalAccount } from "viem";
import {
  apiCallError, createApiClient, encodeFloat32, lossBits, rawBody, RESULT_LOSS_HEADER, RESULT_SIGNATURE_HEADER, resultDomain, resultTypes,
  WORKER_AUTH_HEADER, WORKER_AUTH_MAX_SECONDS, workerAuthHeader, workerAuthTypes, type ApiClient,
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

/** A refused answer (`{ error: { code, message } }` or not) → WorkerApiError; 429 and 5xx are retryable. Network failures stay thrown as they are (transient). */
function failure(what: string, response: Response, error: unknown): WorkerApiError {
  const e = apiCallError(what, response, error);
  return new WorkerApiError(e.message, e.status, e.code, e.status === 429 || e.status >= 500);
}

/** The answer's data, or the refusal as a WorkerApiError. */
function ok<T>(what: string, r: { data?: T; error?: unknown; response: Response }): T {
  if (!r.response.ok) throw failure(what, r.response, r.error);
  return r.data as T;
}

export type HttpWorkerApi = WorkerApi & {
  /** the x-corex-worker header value (refreshed before it expires) */
  authHeader(): Promise<string>;
  /** the typed API client, every request carrying the x-corex-worker header */
  client: ApiClient;
  /** `ok` for callers of `client` (Compute-PoC): the data, or the refusal as a WorkerApiError */
  ok: typeof ok;
};

export function httpWorkerApi(o: HttpWorkerApiOptions): HttpWorkerApi {
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

  const client = createApiClient(o.api, o.fetch ? { fetch: o.fetch } : {});
  const blobs = createApiClient(o.api, o.fetch ? { fetch: o.fetch } : {});
  client.use({
    async onRequest({ request }) {
      request.headers.set(WORKER_AUTH_HEADER, await authHeader());
      return request;
    },
  });

  const nodeId = o.nodeId.toString();
  return {
    authHeader,
    client,
    ok,
    async claim() {
      const { slots } = ok("claim", await client.POST("/api/fragments/claim", { body: { nodeId, max: 1 } }));
      return slots[0] ?? null;
    },
    async heartbeat(lease) {
      ok("heartbeat", await client.POST("/api/fragments/{id}/heartbeat", { params: { path: { id: lease.slotId } }, body: { nodeId } }));
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
      return ok("submit", await client.POST("/api/fragments/{id}/result", {
        params: { path: { id: lease.slotId } }, body: bytes, bodySerializer: rawBody,
        headers: { "content-type": "application/octet-stream", [RESULT_LOSS_HEADER]: String(loss), [RESULT_SIGNATURE_HEADER]: signature },
      }));
    },
    async abandon(lease) {
      // keepalive: the request outlives a closing tab
      ok("abandon", await client.POST("/api/fragments/{id}/abandon", { params: { path: { id: lease.slotId } }, body: { nodeId }, keepalive: true }));
    },
    async blob(sha256) {
      const r = await blobs.GET("/api/blobs/{sha256}", { params: { path: { sha256 } }, parseAs: "arrayBuffer" });
      return new Uint8Array(ok(`blob ${sha256.slice(0, 12)}`, r) as ArrayBuffer);
    },
  };
}
