import { describe, expect, it } from "vitest";
import { decodeTable, encodeTable, featureStats, type Table } from "./layout";
import { mulberry32, permutation, splitTable } from "./split";

const table = (rows: number, features = 3): Table => ({
  rows,
  features,
  classes: 2,
  x: Float32Array.from({ length: rows * features }, (_, i) => i / 7),
  y: Uint32Array.from({ length: rows }, (_, i) => i % 2),
});

describe("dataset layout and split", () => {
  it("encodes the documented little-endian layout and decodes it back", () => {
    const t = table(2, 2);
    const bytes = encodeTable(t);
    expect(bytes.byteLength).toBe(24 + 4 * 4 + 4 * 2);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("CXDS");
    const v = new DataView(bytes.buffer);
    expect([v.getUint32(4, true), v.getUint32(8, true), v.getUint32(12, true), v.getUint32(16, true)]).toEqual([1, 2, 2, 2]);
    expect(v.getFloat32(24 + 4, true)).toBeCloseTo(1 / 7, 6);
    expect(v.getUint32(24 + 16 + 4, true)).toBe(1);
    const back = decodeTable(bytes);
    expect(Array.from(back.x)).toEqual(Array.from(t.x));
    expect(Array.from(back.y)).toEqual([0, 1]);
    expect(() => decodeTable(bytes.subarray(0, 30))).toThrow(/bytes/);
  });

  it("mulberry32 matches its reference outputs (workers in other languages must agree)", () => {
    const next = mulberry32(42);
    expect([next(), next(), next()]).toEqual([2581720956, 1925393290, 3661312704]);
  });

  it("permutes reproducibly by seed, and differently for another seed", () => {
    const a = Array.from(permutation(50, 7));
    expect(a).toEqual(Array.from(permutation(50, 7)));
    expect(a).not.toEqual(Array.from(permutation(50, 8)));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("splits into S shards plus a 20% held-out set covering every row exactly once", () => {
    const t = table(103);
    const { shards, heldOut } = splitTable(t, { seed: 1, shards: 4 });
    expect(heldOut.rows).toBe(21);
    expect(shards.map((s) => s.rows)).toEqual([20, 21, 20, 21]);
    const firsts = [...shards, heldOut].flatMap((s) => Array.from({ length: s.rows }, (_, i) => s.x[i * 3]!));
    expect(new Set(firsts).size).toBe(103);
  });

  it("keeps a fixed held-out tail (MNIST's last 2,000) out of every shard", () => {
    const t = table(10);
    const { shards, heldOut } = splitTable(t, { seed: 3, shards: 2, fixedHeldOutRows: 2 });
    expect(Array.from(heldOut.y)).toEqual([0, 1]);
    expect(heldOut.x[0]).toBe(t.x[8 * 3]);
    expect(shards.reduce((s, x) => s + x.rows, 0)).toBe(8);
  });

  it("computes per-feature mean and population std", () => {
    const t: Table = { rows: 4, features: 2, classes: 2, x: Float32Array.from([1, 5, 2, 5, 3, 5, 4, 5]), y: new Uint32Array(4) };
    const { mean, std } = featureStats(t);
    expect(mean).toEqual([2.5, 5]);
    expect(std[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(std[1]).toBe(0);
  });
});
