import { describe, expect, it } from "vitest";
import { hash32 } from "@/lib/compute";
import { TOLERANCE } from "./context";
import { agree, spotChecked } from "./verify-rules";

const f = (...v: number[]) => new Float32Array(v);

describe("agree: each delta within the relative-L2 tolerance of the other", () => {
  it("is the tolerance of docs/concepts/verification.md → Tolerance", () => {
    expect(TOLERANCE.relativeL2).toBe(1e-3);
  });

  it("accepts exactly the tolerance, in both directions, and nothing beyond it in either", () => {
    // ‖1001 − 1000‖ / ‖1000‖ = 1e-3 exactly (and 1/1001 the other way): at the boundary, accepted.
    expect(agree(f(1001), f(1000))).toBe(true);
    expect(agree(f(1000), f(1001))).toBe(true);
    // 1/1000 one way but 1/999 > 1e-3 the other: refused whichever side is passed first.
    expect(agree(f(999), f(1000))).toBe(false);
    expect(agree(f(1000), f(999))).toBe(false);
    expect(agree(f(1, 2, 3), f(1, 2, 3))).toBe(true);
    expect(agree(f(2, 4, 6), f(1, 2, 3))).toBe(false);
  });

  it("deltas of different lengths never agree (and do not throw)", () => {
    expect(agree(f(1, 2), f(1, 2, 0))).toBe(false);
    expect(agree(f(), f(0))).toBe(false);
  });
});

describe("spotChecked: hash32(seed ⊕ 'spot', r, s) / 2³² < spotCheckRate", () => {
  const spec = (seed: number, spotCheckRate: number) => ({ hyper: { seed } as never, spotCheckRate });
  const draw = (seed: number, r: number, s: number) => hash32((seed ^ 0x73706f74) >>> 0, r, s) / 4294967296;

  it("never at rate 0, always at rate 1", () => {
    for (let r = 0; r < 20; r++) for (let s = 0; s < 20; s++) {
      expect(spotChecked(spec(7, 0), r, s)).toBe(false);
      expect(spotChecked(spec(7, 1), r, s)).toBe(true);
    }
  });

  it("the draw is strictly below the rate: a rate equal to a fragment's draw does not check it", () => {
    const u = draw(42, 3, 1);
    expect(u).toBeGreaterThan(0);
    expect(spotChecked(spec(42, u), 3, 1)).toBe(false);
    expect(spotChecked(spec(42, u + 1e-12), 3, 1)).toBe(true);
  });

  it("checks about the rate's share of fragments, chosen by round, shard and the job's seed", () => {
    let n = 0;
    const picked = (seed: number) => [...Array(400).keys()].map((i) => spotChecked(spec(seed, 0.25), i >> 4, i & 15));
    for (const p of picked(7)) n += p ? 1 : 0;
    expect(n).toBeGreaterThan(70);
    expect(n).toBeLessThan(130);
    expect(picked(7)).toEqual(picked(7));
    expect(picked(8)).not.toEqual(picked(7));
    // round and shard both move the draw
    expect(draw(7, 1, 2)).not.toBe(draw(7, 2, 1));
    for (let i = 0; i < 400; i++) expect(spotChecked(spec(7, 0.25), i >> 4, i & 15)).toBe(draw(7, i >> 4, i & 15) < 0.25);
  });
});
