import { describe, expect, it } from "vitest";
import { formatDuration, runTiming } from "./run-timing";

const t0 = Date.parse("2026-12-07T10:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

describe("runTiming", () => {
  it("has no clock before the task is active", () => {
    expect(runTiming({ status: "awaiting_chain", startedAt: null, finishedAt: null, done: 0, totalRounds: 10, now: t0 })).toEqual({ running: false, elapsedMs: null, etaMs: null });
  });

  it("estimates the rounds left at the pace of those done", () => {
    // 4 rounds of 10 in 2 minutes: 6 left at 30 s each.
    const r = runTiming({ status: "active", startedAt: iso(t0), finishedAt: null, done: 4, totalRounds: 10, now: t0 + 120_000 });
    expect(r).toEqual({ running: true, elapsedMs: 120_000, etaMs: 180_000 });
    expect(runTiming({ status: "active", startedAt: iso(t0), finishedAt: null, done: 0, totalRounds: 10, now: t0 + 5_000 }).etaMs).toBeNull();
  });

  it("stops the clock when the run finished", () => {
    const r = runTiming({ status: "completed", startedAt: iso(t0), finishedAt: iso(t0 + 754_000), done: 10, totalRounds: 10, now: t0 + 9_999_999 });
    expect(r).toEqual({ running: false, elapsedMs: 754_000, etaMs: null });
  });
});

describe("formatDuration", () => {
  it("reads as a person says it", () => {
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(192_000)).toBe("3 min 12 s");
    expect(formatDuration(7_500_000)).toBe("2 h 5 min");
  });
});
