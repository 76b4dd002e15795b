import { describe, expect, it } from "vitest";
import { decodeTokenShard, encodeTokenShard, TOKEN_HEADER_BYTES } from "./shard";
import { shardWindows, takeWindows, windowCount, windowsOf } from "./windows";

const rowsOf = (s: { tokens: Uint32Array; rows: number; width: number }) =>
  Array.from({ length: s.rows }, (_, r) => Array.from(s.tokens.subarray(r * s.width, (r + 1) * s.width)));

describe("windows and token shards", () => {
  it("cuts context+1 windows with stride context: every token after the first is a target exactly once", () => {
    const stream = Uint32Array.from({ length: 11 }, (_, i) => i);
    const w = windowsOf(stream, 3);
    expect(w.width).toBe(4);
    expect(rowsOf(w)).toEqual([
      [0, 1, 2, 3],
      [3, 4, 5, 6],
      [6, 7, 8, 9],
    ]); // target 10 dropped: fewer than one window's worth of targets is left
    const targets = rowsOf(w).flatMap((r) => r.slice(1));
    expect(targets).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(windowCount(11, 3)).toBe(3);
    expect(windowCount(10, 3)).toBe(3);
    expect(windowCount(4, 3)).toBe(1);
    expect(windowCount(3, 3)).toBe(0);
    expect(windowCount(1, 1)).toBe(0);
    expect(windowsOf(stream.subarray(0, 3), 3).rows).toBe(0);
    expect(() => windowsOf(stream, 0)).toThrow(/context/);
  });

  it("deals permuted windows into shards like table rows, deterministically from the seed", () => {
    const w = windowsOf(Uint32Array.from({ length: 41 }, (_, i) => i % 7), 2); // 20 windows
    const a = shardWindows(w, { seed: 7, shards: 3 });
    const b = shardWindows(w, { seed: 7, shards: 3 });
    expect(a.map((s) => s.rows)).toEqual([6, 7, 7]);
    expect(a.map(rowsOf)).toEqual(b.map(rowsOf));
    expect(shardWindows(w, { seed: 8, shards: 3 }).map(rowsOf)).not.toEqual(a.map(rowsOf));
    // Together the shards hold every window once.
    const key = (r: number[]) => r.join(",");
    expect(a.flatMap(rowsOf).map(key).sort()).toEqual(rowsOf(w).map(key).sort());
    expect(() => shardWindows(w, { seed: 1, shards: 21 })).toThrow(/every shard/);
    expect(rowsOf(takeWindows(w, [2, 0]))).toEqual([rowsOf(w)[2], rowsOf(w)[0]]);
  });

  it("encodes the documented CXTK layout (u16 tokens) and decodes it back", () => {
    const shard = { tokens: Uint32Array.of(0, 5, 300, 1, 2, 3), rows: 2, width: 3 };
    const bytes = encodeTokenShard(shard, 301);
    expect(bytes.byteLength).toBe(TOKEN_HEADER_BYTES + 2 * 6);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("CXTK");
    const v = new DataView(bytes.buffer);
    expect([1, 2, 3, 4, 5].map((k) => v.getUint32(4 * k, true))).toEqual([1, 2, 3, 301, 0]);
    expect(v.getUint16(24 + 2 * 2, true)).toBe(300);
    const back = decodeTokenShard(bytes);
    expect(back).toEqual({ ...shard, vocabularySize: 301 });
    expect(back.tokens).toBeInstanceOf(Uint32Array);
    expect(() => encodeTokenShard(shard, 300)).toThrow(/not below/);
    expect(() => encodeTokenShard({ ...shard, rows: 3 }, 301)).toThrow(/holds/);
    expect(() => decodeTokenShard(bytes.subarray(0, 30))).toThrow(/bytes/);
    const table = bytes.slice();
    table.set(new TextEncoder().encode("CXDS"), 0);
    expect(() => decodeTokenShard(table)).toThrow(/magic/);
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint16(24, 301, true);
    expect(() => decodeTokenShard(bad)).toThrow(/not below/);
  });
});
