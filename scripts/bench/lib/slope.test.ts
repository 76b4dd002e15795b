import { describe, expect, it } from "vitest";
import { slope } from "./slope";

describe("slope", () => {
  it("is the least-squares fit, not the end points' difference", () => {
    // y = 2x + 1 with noise that cancels in the fit; the last point alone would say 3.
    expect(slope([0, 1, 2, 3], [1, 3.5, 4.5, 7])).toBeCloseTo(1.9, 10);
  });
  it("is 0 for a flat line, one point, or xs all equal", () => {
    expect(slope([0, 5, 10], [300, 300, 300])).toBe(0);
    expect(slope([1], [5])).toBe(0);
    expect(slope([2, 2], [1, 9])).toBe(0);
  });
  it("is negative when memory falls", () => {
    expect(slope([0, 10, 20], [500, 400, 300])).toBeCloseTo(-10, 10);
  });
});
