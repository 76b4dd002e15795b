import { describe, expect, it } from "vitest";
import { decodeProduct, encodeProduct } from "./compute-poc";

describe("Compute-PoC answer wire format", () => {
  it("n² u32, little-endian, round trip, a trailing partial value ignored", () => {
    const c = new Uint32Array([1, 0xdeadbeef, 0, 0xffffffff]);
    const bytes = encodeProduct(c);
    expect(bytes.length).toBe(16);
    expect([...bytes.subarray(0, 8)]).toEqual([1, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde]);
    expect(decodeProduct(bytes)).toEqual(c);
    const offset = new Uint8Array(19);
    offset.set(bytes, 2);
    expect(decodeProduct(offset.subarray(2, 18))).toEqual(c);
    expect(decodeProduct(bytes.subarray(0, 7))).toEqual(new Uint32Array([1]));
    expect(decodeProduct(new Uint8Array(0))).toEqual(new Uint32Array(0));
  });
});
