import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import { Throttle } from "./throttle";

describe("in-memory throttle", () => {
  it("refuses a key over its budget with 429 and Retry-After until its window ends; other keys are free", () => {
    const t = new Throttle({ name: "probe-window", limit: 3, windowSeconds: 60 });
    const t0 = 1_800_000_000_000; // a window boundary
    for (let i = 0; i < 3; i++) t.take("a", t0 + i);
    let err: unknown;
    try {
      t.take("a", t0 + 10_000);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, code: "rate_limited", headers: { "retry-after": "50" } });
    expect(() => t.take("b", t0 + 10_000)).not.toThrow();
    expect(() => t.take("a", t0 + 60_000)).not.toThrow();
  });

  it("check counts nothing; hit counts without refusing (failure budgets)", () => {
    const t = new Throttle({ name: "probe-check", limit: 2, windowSeconds: 60 });
    for (let i = 0; i < 5; i++) t.check("a");
    t.hit("a");
    // Another instance of the same rule (another route bundle) shares the count.
    new Throttle({ name: "probe-check", limit: 2, windowSeconds: 60 }).hit("a");
    expect(() => t.check("a")).toThrow(/too many probe-check/);
  });

  it("keeps a bounded number of keys", () => {
    const t = new Throttle({ name: "probe-bound", limit: 1, windowSeconds: 60 });
    for (let i = 0; i < 60_000; i++) t.hit(`k${i}`, 1_000);
    expect((t as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(50_000);
  });
});
