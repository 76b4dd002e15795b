import { describe, expect, it } from "vitest";
import { decodeTable, decodeTableRaw, encodeTable, fitsU8, FEATURE_DTYPES, HEADER_BYTES, VERSION, VERSION_DTYPE, type Table } from "./layout";

// CXDS tables: v1 (float32 features) and v2 (a feature dtype; u8 for integer features 0…255).
const pixels: Table = { rows: 3, features: 3, classes: 10, x: new Float32Array([0, 255, 7, 1, 2, 3, 128, 0, 9]), y: new Uint32Array([9, 0, 3]) };
const reals: Table = { rows: 2, features: 2, classes: 2, x: new Float32Array([0.5, -1, 3, 1e6]), y: new Uint32Array([1, 0]) };
const word = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);

describe("CXDS layout", () => {
  it("writes v1 (float32) by default, byte for byte as before", () => {
    const b = encodeTable(pixels);
    expect(word(b, 4)).toBe(VERSION);
    expect(word(b, 20)).toBe(0);
    expect(b.byteLength).toBe(HEADER_BYTES + 4 * 9 + 4 * 3);
    expect(decodeTable(b)).toEqual(pixels);
  });

  it("compact: u8 features (v2) when every feature is an integer 0…255, padded to 4 bytes, the same table decoded", () => {
    const b = encodeTable(pixels, { compact: true });
    expect(word(b, 4)).toBe(VERSION_DTYPE);
    expect(word(b, 20)).toBe(FEATURE_DTYPES.u8);
    expect(b.byteLength).toBe(HEADER_BYTES + 12 + 4 * 3); // 9 bytes of features + 3 of padding
    expect([...b.subarray(HEADER_BYTES, HEADER_BYTES + 9)]).toEqual([0, 255, 7, 1, 2, 3, 128, 0, 9]);
    expect(decodeTable(b)).toEqual(pixels);
    const raw = decodeTableRaw(b);
    expect(raw.dtype).toBe("u8");
    expect(raw.x).toBeInstanceOf(Uint8Array);
    expect([...raw.y]).toEqual([9, 0, 3]);
  });

  it("compact falls back to v1 when a feature does not fit a byte", () => {
    expect(word(encodeTable(reals, { compact: true }), 4)).toBe(VERSION);
    expect(decodeTable(encodeTable(reals, { compact: true }))).toEqual(reals);
    for (const v of [256, -1, 0.5, NaN, -0, Infinity]) expect(fitsU8(new Float32Array([1, v]))).toBe(false);
    expect(fitsU8(new Float32Array([0, 1, 255]))).toBe(true);
  });

  it("round-trips an empty table in both forms", () => {
    const empty: Table = { rows: 0, features: 784, classes: 10, x: new Float32Array(0), y: new Uint32Array(0) };
    expect(decodeTable(encodeTable(empty, { compact: true }))).toEqual(empty);
    expect(decodeTable(encodeTable(empty))).toEqual(empty);
  });

  it("reads v1 float32 features from an unaligned view", () => {
    const b = encodeTable(reals);
    const shifted = new Uint8Array(b.byteLength + 1);
    shifted.set(b, 1);
    expect(decodeTable(shifted.subarray(1))).toEqual(reals);
  });

  it("refuses malformed tables with a message naming the problem", () => {
    const b = encodeTable(pixels, { compact: true });
    const edit = (at: number, v: number) => {
      const c = b.slice();
      new DataView(c.buffer).setUint32(at, v, true);
      return c;
    };
    expect(() => decodeTable(new Uint8Array(10))).toThrow("not a CXDS table (bad magic)");
    expect(() => decodeTable(edit(4, 3))).toThrow("unsupported CXDS version 3");
    expect(() => decodeTable(edit(20, 7))).toThrow("unknown CXDS feature dtype 7 (0 = f32, 1 = u8)");
    expect(() => decodeTable(edit(20, FEATURE_DTYPES.f32))).toThrow(`CXDS table is ${b.byteLength} bytes, header says ${HEADER_BYTES + 36 + 12}`);
    expect(() => decodeTable(b.subarray(0, b.byteLength - 1))).toThrow("header says");
    const padded = b.slice();
    padded[HEADER_BYTES + 10] = 1;
    expect(() => decodeTable(padded)).toThrow("the padding after them must be zero bytes");
    expect(() => decodeTable(edit(16, 5))).toThrow("label 9 of row 0 is not below 5 classes");
  });
});
