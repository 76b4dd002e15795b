import { describe, expect, it } from "vitest";
import { slope, slopeStdError, windowFloors } from "./slope";

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
  it("has a standard error of 0 on a straight line and one that grows with the scatter", () => {
    expect(slopeStdError([0, 1, 2, 3], [1, 3, 5, 7])).toBe(0);
    // The fit is y = x, residuals 1, −1, −1, 1: Σr² = 4, n − 2 = 2, Σ(x − x̄)² = 5.
    expect(slopeStdError([0, 1, 2, 3], [1, 0, 1, 4])).toBeCloseTo(Math.sqrt(4 / 2 / 5), 10);
    expect(slopeStdError([0, 1], [0, 1])).toBe(Infinity);
  });
  it("takes the lowest point of each window", () => {
    expect(windowFloors([0, 5, 10, 15, 20, 25], [300, 250, 400, 320, 310, 330], 10)).toEqual([{ x: 5, y: 250 }, { x: 15, y: 320 }, { x: 20, y: 310 }]);
  });
});

