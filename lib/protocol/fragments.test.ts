import { describe, expect, it } from "vitest";
import { hashTypedData } from "viem";
import { decodeFloat32, encodeFloat32, lossBits, parseWorkerAuthHeader, resultDomain, resultTypes, workerAuthHeader } from "./fragments";

describe("worker protocol", () => {
  it("delta layout: float32 little-endian, round trip, refuses a partial value", () => {
    const v = new Float32Array([1, -2.5, 3.1415927, -0, 1e-30]);
    const bytes = encodeFloat32(v);
    expect(bytes.length).toBe(20);
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 0x80, 0x3f]); // 1.0f LE
    expect(decodeFloat32(bytes)).toEqual(v);
    expect(() => decodeFloat32(bytes.subarray(0, 7))).toThrow(/float32/);
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
});
