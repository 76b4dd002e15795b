// A minimal JSON-RPC client for the indexer's hot path: raw eth_getLogs / eth_getBlockByNumber,
// JSON-RPC batches for headers, a per-request timeout, no result formatting (decoding is ours).

export type RawLog = {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  blockTimestamp?: string;
  transactionHash: string;
  logIndex: string;
  removed?: boolean;
};

export type RawBlock = { number: string; hash: string; parentHash: string; timestamp: string };

export class RpcError extends Error {
  override name = "RpcError";
  constructor(
    message: string,
    readonly code?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type Rpc = {
  request<T>(method: string, params: unknown[]): Promise<T>;
  batch<T>(calls: { method: string; params: unknown[] }[]): Promise<T[]>;
};

export function createRpc(url: string, opts: { timeoutMs?: number } = {}): Rpc {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let id = 0;
  async function post(body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const err = e as Error;
      throw new RpcError(
        err.name === "TimeoutError" ? `RPC request to ${url} timed out after ${timeoutMs} ms` : `fetch failed: ${url}: ${err.message} ${(err.cause as Error)?.message ?? ""}`,
      );
    }
    if (!res.ok) throw new RpcError(`RPC HTTP status ${res.status} from ${url}: ${(await res.text()).slice(0, 200)}`, undefined, res.status);
    return res.json();
  }
  type Reply = { id: number; result?: unknown; error?: { code: number; message: string } };
  const unwrap = (r: Reply, method: string) => {
    if (r.error) throw new RpcError(`${method}: ${r.error.message} (code ${r.error.code})`, r.error.code);
    return r.result;
  };
  return {
    async request<T>(method: string, params: unknown[]) {
      const reply = (await post({ jsonrpc: "2.0", id: ++id, method, params })) as Reply;
      return unwrap(reply, method) as T;
    },
    async batch<T>(calls: { method: string; params: unknown[] }[]) {
      if (calls.length === 0) return [];
      const first = ++id;
      id += calls.length;
      const replies = (await post(calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params })))) as Reply[];
      if (!Array.isArray(replies)) throw new RpcError(`batch reply is not an array`);
      const byId = new Map(replies.map((r) => [r.id, r]));
      return calls.map((c, i) => {
        const r = byId.get(first + i);
        if (!r) throw new RpcError(`batch reply misses ${c.method} #${i}`);
        return unwrap(r, c.method) as T;
      });
    },
  };
}

export const toHex = (n: number) => `0x${n.toString(16)}`;
