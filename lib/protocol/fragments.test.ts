import { describe, expect, it } from "vitest";
import { hashTypedData } from "viem";
import {
  claimRequestSchema, decodeFloat32, encodeFloat32, heartbeatRequestSchema, int8DecimalSchema, lossBits, MAX_INT8, nodeIdSchema, parseWorkerAuthHeader,
  RESULT_LOSS_HEADER, RESULT_SIGNATURE_HEADER, resultDomain, resultTypes, slotParamsSchema, WORKER_AUTH_HEADER, WORKER_AUTH_MAX_SECONDS, workerAuthHeader, workerAuthTypes,
} from "./fragments";

describe("worker protocol", () => {
  it("delta layout: float32 little-endian, round trip, refuses a partial value", () => {
    const v = new Float32Array([1, -2.5, 3.1415927, -0, 1e-30]);
    const bytes = encodeFloat32(v);
    expect(bytes.length).toBe(20);
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 0x80, 0x3f]); // 1.0f LE
    expect(decodeFloat32(bytes)).toEqual(v);
    expect(() => decodeFloat32(bytes.subarray(0, 7))).toThrow(/float32/);
    // an unaligned view reads the same values, and the result never aliases the bytes
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    expect(decodeFloat32(shifted.subarray(1))).toEqual(v);
    const copy = decodeFloat32(bytes);
    copy[0] = 42;
    expect(decodeFloat32(bytes)).toEqual(v);
  });

  it("lossBits is the float32 bit pattern, so a float64 loss and its float32 rounding sign the same", () => {
    expect(lossBits(1)).toBe(0x3f800000);
    expect(lossBits(0.1)).toBe(lossBits(Math.fround(0.1)));
    expect(lossBits(0.1)).not.toBe(lossBits(0.1000001));
  });

  it("the EIP-712 result digest binds every field", () => {
    const base = { fragmentId: "3f0c6f0e-1d2b-4c8e-9a55-0b1e2d3c4f50", replica: 0, nodeId: 7n, specHash: `0x${"ab".repeat(32)}` as const, round: 1, deltaSha256: `0x${"cd".repeat(32)}` as const, lossBits: 0x3f800000 };
    const digest = (m: typeof base, chainId = 31337) => hashTypedData({ domain: resultDomain(chainId), types: resultTypes, primaryType: "FragmentResult", message: m });
    const d0 = digest(base);
    const variants = [{ ...base, replica: 1 }, { ...base, nodeId: 8n }, { ...base, round: 2 }, { ...base, lossBits: 0x3f800001 }, { ...base, fragmentId: base.fragmentId.replace("3f", "40") }];
    for (const v of variants) expect(digest(v)).not.toBe(d0);
    expect(digest(base, 1)).not.toBe(d0);
  });

  it("WorkerAuth header: <expiresAt>.<65-byte signature> round trips; anything else is refused", () => {
    const sig = `0x${"Ab".repeat(65)}` as const;
    const value = workerAuthHeader(1_700_000_000, sig);
    expect(value).toBe(`1700000000.${sig}`);
    expect(parseWorkerAuthHeader(value)).toEqual({ expiresAt: 1_700_000_000, signature: sig.toLowerCase() });
    for (const bad of ["", "1700000000", `1700000000.0x${"ab".repeat(64)}`, `x.${sig}`, `1234567890123.${sig}`, ` 1700000000.${sig}`, `1700000000.${sig}00`]) {
      expect(parseWorkerAuthHeader(bad)).toBeNull();
    }
  });

  it("the delta layout reads a view at any byte offset", () => {
    const bytes = encodeFloat32(new Float32Array([2, -3]));
    const shifted = new Uint8Array(12);
    shifted.set(bytes, 4);
    expect(decodeFloat32(shifted.subarray(4))).toEqual(new Float32Array([2, -3]));
    expect([...encodeFloat32(new Float32Array([-2]))]).toEqual([0, 0, 0, 0xc0]);
    expect(decodeFloat32(new Uint8Array(0))).toEqual(new Float32Array(0));
    expect(() => decodeFloat32(new Uint8Array(5))).toThrow("5 bytes is not a whole number of float32 values");
  });

  // Workers are built against these: the EIP-712 domain, types and header names must never drift.
  // The digests are pinned values (what every released worker signs).
  it("pins the EIP-712 domain, the FragmentResult and WorkerAuth digests, and the header names", () => {
    expect(resultDomain(5)).toEqual({ name: "Corex Network", version: "1", chainId: 5 });
    const m = { fragmentId: "3f0c6f0e-1d2b-4c8e-9a55-0b1e2d3c4f50", replica: 0, nodeId: 7n, specHash: `0x${"ab".repeat(32)}` as const, round: 1, deltaSha256: `0x${"cd".repeat(32)}` as const, lossBits: 0x3f800000 };
    expect(hashTypedData({ domain: resultDomain(31337), types: resultTypes, primaryType: "FragmentResult", message: m })).toBe("0x21a874f0d5f37224fb68221b25b9f95159134d2614f46c5e6cc22951a43f772b");
    expect(hashTypedData({ domain: resultDomain(31337), types: workerAuthTypes, primaryType: "WorkerAuth", message: { nodeId: 7n, expiresAt: 1_700_000_000n } })).toBe("0x1ec7c6ebf7faf8634afbb1f4759071783e5cde67362c9235e3164611e6f7818a");
    expect([WORKER_AUTH_HEADER, RESULT_LOSS_HEADER, RESULT_SIGNATURE_HEADER, WORKER_AUTH_MAX_SECONDS]).toEqual(["x-corex-worker", "x-corex-loss", "x-corex-signature", 600]);
  });

  it("node ids and epochs: decimal integers that fit a Postgres bigint", () => {
    expect(MAX_INT8).toBe(9223372036854775807n);
    const ok = (schema: typeof nodeIdSchema, v: unknown) => schema.safeParse(v).success;
    const message = (schema: typeof nodeIdSchema, v: unknown) => schema.safeParse(v).error?.issues.map((i) => i.message);
    // built here as well as at module load (nodeIdSchema), so the test runs the builder's own branches
    const node = int8DecimalSchema("node id");
    for (const schema of [nodeIdSchema, node]) {
      for (const v of ["1", "42", "9223372036854775807", "1000000000000000000"]) expect(ok(schema, v), v).toBe(true);
      for (const v of ["0", "01", "-1", "1.0", " 1", "1 ", "1x", "x1", "", "9223372036854775808", "9999999999999999999", "10000000000000000000", 1]) expect(ok(schema, v), String(v)).toBe(false);
      expect(message(schema, "0")).toEqual(["must be a positive decimal node id"]);
      expect(message(schema, "01")).toEqual(["must be a positive decimal node id"]);
      expect(message(schema, "9223372036854775808")).toEqual(["must be at most 2^63 − 1 (9223372036854775807)"]);
    }
    const epoch = int8DecimalSchema("epoch", 0);
    for (const v of ["0", "1", "9223372036854775807"]) expect(ok(epoch, v), v).toBe(true);
    for (const v of ["00", "01", "-0", "9223372036854775808", "x"]) expect(ok(epoch, v), v).toBe(false);
    expect(message(epoch, "01")).toEqual(["must be a non-negative decimal epoch"]);
    // the format check aborts: a non-numeric value never reaches BigInt (which would throw)
    expect(message(epoch, "1e3")).toEqual(["must be a non-negative decimal epoch"]);
  });

  it("claim, heartbeat and slot parameters: strict, bounded", () => {
    expect(claimRequestSchema.parse({ nodeId: "3" })).toEqual({ nodeId: "3", max: 1 });
    expect(claimRequestSchema.parse({ nodeId: "3", max: 32 })).toEqual({ nodeId: "3", max: 32 });
    for (const bad of [{ nodeId: "3", max: 0 }, { nodeId: "3", max: 33 }, { nodeId: "3", max: 1.5 }, { nodeId: "3", extra: 1 }, { max: 1 }]) expect(claimRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(heartbeatRequestSchema.safeParse({ nodeId: "3" }).success).toBe(true);
    expect(heartbeatRequestSchema.safeParse({ nodeId: "3", max: 1 }).success).toBe(false);
    expect(slotParamsSchema.safeParse({ id: "3f0c6f0e-1d2b-4c8e-9a55-0b1e2d3c4f50" }).success).toBe(true);
    expect(slotParamsSchema.safeParse({ id: "nope" }).error?.issues[0]?.message).toBe("must be a slot id (uuid)");
    expect(slotParamsSchema.safeParse({ id: "3f0c6f0e-1d2b-4c8e-9a55-0b1e2d3c4f50", x: 1 }).success).toBe(false);
  });
});
