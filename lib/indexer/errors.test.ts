import { describe, expect, it } from "vitest";
import { ChainChangedError, DeepReorgError, DecodeError, isRetryable, withRetry } from "./errors";
import { RpcError } from "./rpc";

describe("retryable vs fatal errors", () => {
  it("retries network failures, timeouts, rate limits and lost connections", () => {
    for (const m of ["fetch failed: connect ECONNREFUSED", "RPC request to x timed out after 30000 ms", "RPC HTTP status 503 from x", "RPC HTTP status 429 from x", "Connection terminated unexpectedly"]) {
      expect(isRetryable(new RpcError(m))).toBe(true);
    }
    expect(isRetryable(new ChainChangedError("moved"))).toBe(true);
  });
  it("retries transient Postgres failures by SQLSTATE, as Prisma's driver adapter reports them", () => {
    const prismaError = (code: string) =>
      Object.assign(new Error("Database error."), { code: "P2039", meta: { driverAdapterError: Object.assign(new Error("x"), { cause: { kind: "postgres", originalCode: code } }) } });
    for (const code of ["57P01", "57P03", "08006", "53300", "40001", "40P01"]) expect(isRetryable(prismaError(code)), code).toBe(true);
    for (const code of ["23505", "42P01", "22003"]) expect(isRetryable(prismaError(code)), code).toBe(false);
    // A pooled client whose connection broke earlier (seen when pg_terminate_backend hit an idle client).
    expect(isRetryable(Object.assign(new Error("Client has encountered a connection error and is not queryable"), { clientVersion: "7.10.1" }))).toBe(true);
  });
  it("never retries a deep reorg, a decode failure or an unknown error", () => {
    expect(isRetryable(new DeepReorgError(1, 100, 64, "x"))).toBe(false);
    expect(isRetryable(new DecodeError("timeout in the message does not matter"))).toBe(false);
    expect(isRetryable(new Error("negative balance"))).toBe(false);
  });
  it("withRetry backs off and gives up after `retries`", async () => {
    let n = 0;
    await expect(withRetry(async () => ++n && Promise.reject(new RpcError("fetch failed")), { retries: 2, baseMs: 1 })).rejects.toThrow("fetch failed");
    expect(n).toBe(3);
    n = 0;
    expect(await withRetry(async () => (++n < 3 ? Promise.reject(new RpcError("fetch failed")) : "ok"), { baseMs: 1 })).toBe("ok");
    n = 0;
    await expect(withRetry(async () => ++n && Promise.reject(new DecodeError("bad")), { baseMs: 1 })).rejects.toThrow("bad");
    expect(n).toBe(1);
  });
});
