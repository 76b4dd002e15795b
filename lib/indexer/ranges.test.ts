import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fetchSplitting, isTooManyResultsError, planRanges, splitRange } from "./ranges";

describe("planRanges", () => {
  it("covers from..to exactly, in order, with ranges of at most `size` blocks", () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(5_000), fc.integer({ min: 1, max: 700 }), (from, len, size) => {
        const to = from + len;
        const r = planRanges(from, to, size);
        expect(r[0][0]).toBe(from);
        expect(r.at(-1)![1]).toBe(to);
        for (let i = 0; i < r.length; i++) {
          expect(r[i][1] - r[i][0] + 1).toBeLessThanOrEqual(size);
          expect(r[i][0]).toBeLessThanOrEqual(r[i][1]);
          if (i) expect(r[i][0]).toBe(r[i - 1][1] + 1);
        }
      }),
    );
  });
  it("is empty when from > to and rejects a zero size", () => {
    expect(planRanges(5, 4, 10)).toEqual([]);
    expect(() => planRanges(1, 2, 0)).toThrow();
  });
});

describe("splitRange", () => {
  it("halves into two adjacent ranges; a single block cannot be split", () => {
    expect(splitRange([10, 19])).toEqual([
      [10, 14],
      [15, 19],
    ]);
    expect(splitRange([10, 11])).toEqual([
      [10, 10],
      [11, 11],
    ]);
    expect(splitRange([7, 7])).toBeNull();
  });
});

describe("isTooManyResultsError", () => {
  it.each([
    "query returned more than 10000 results",
    "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range",
    "eth_getLogs: block range is too large (code -32600)",
    "exceed maximum block range: 5000",
  ])("recognises %s", (m) => expect(isTooManyResultsError(new Error(m))).toBe(true));
  it("recognises code -32005 and ignores other errors", () => {
    expect(isTooManyResultsError(Object.assign(new Error("x"), { code: -32005 }))).toBe(true);
    expect(isTooManyResultsError(new Error("fetch failed"))).toBe(false);
  });
});

describe("fetchSplitting", () => {
  it("splits until the provider accepts, keeping block order and every log", async () => {
    const logs = Array.from({ length: 100 }, (_, b) => b);
    const calls: [number, number][] = [];
    const out = await fetchSplitting([0, 99], async (a, b) => {
      calls.push([a, b]);
      if (b - a + 1 > 13) throw new Error("query returned more than 10000 results");
      return logs.slice(a, b + 1);
    });
    expect(out).toEqual(logs);
    // Halving: 100 → 2 × 50 → 4 × 25 → 8 accepted ranges of 12–13 blocks, after 7 refused ones; the
    // accepted ones tile 0..99 in order (a split that skipped or repeated blocks, or did not halve, fails).
    expect(calls).toHaveLength(15);
    const accepted = calls.filter(([a, b]) => b - a + 1 <= 13);
    expect(accepted).toHaveLength(8);
    expect(accepted[0]![0]).toBe(0);
    expect(accepted.at(-1)![1]).toBe(99);
    for (let i = 1; i < accepted.length; i++) expect(accepted[i]![0]).toBe(accepted[i - 1]![1] + 1);
  });
  it("rethrows other errors and a single block that is still too big", async () => {
    await expect(fetchSplitting([0, 9], async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(fetchSplitting([0, 3], async () => Promise.reject(new Error("too many results")))).rejects.toThrow("too many results");
  });
});
