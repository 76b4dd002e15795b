import { describe, expect, it } from "vitest";
import { formatCxt, formatCxtWithUnit, formatDateTime, formatFlops, shortHex, tierName } from "./numbers";

describe("formatCxt", () => {
  it("groups thousands and trims trailing zeros", () => {
    expect(formatCxt(1234567n * 10n ** 18n)).toBe("1,234,567");
    expect(formatCxt("1500000000000000000")).toBe("1.5");
    expect(formatCxt({ toFixed: () => "10000000000000000" })).toBe("0.01");
    expect(formatCxt(0n)).toBe("0");
  });
  it("truncates to the requested decimals instead of rounding up", () => {
    expect(formatCxt(1999999999999999999n, 2)).toBe("1.99");
    expect(formatCxt(12345678901234567890123n, 4)).toBe("12,345.6789");
  });
  it("keeps significant digits of amounts below one CXT instead of printing 0", () => {
    expect(formatCxt(42_000_000_000_000n)).toBe("0.000042");
    expect(formatCxt(123_456_000_000_000n)).toBe("0.00012");
    expect(formatCxt(1n)).toBe("0.000000000000000001");
  });
  it("signs negative amounts and names the unit", () => {
    expect(formatCxt(-15n * 10n ** 17n)).toBe("-1.5");
    expect(formatCxtWithUnit(2500n * 10n ** 18n)).toBe("2,500 CXT");
  });
});

describe("formatFlops", () => {
  it("prints work units with an SI prefix", () => {
    expect(formatFlops("20000000000000")).toBe("20 TFLOP");
    expect(formatFlops(1_500_000_000_000_000n)).toBe("1.5 PFLOP");
    expect(formatFlops({ toFixed: () => "100000000000" })).toBe("100 GFLOP");
    expect(formatFlops(999)).toBe("999 FLOP");
    expect(formatFlops(0)).toBe("0 FLOP");
    expect(formatFlops(1000)).toBe("1 kFLOP");
  });
  it("keeps three significant digits, truncated, exactly beyond 2^53", () => {
    expect(formatFlops(123_456_789n)).toBe("123 MFLOP");
    expect(formatFlops(12_345_678n)).toBe("12.3 MFLOP");
    expect(formatFlops(1_239_999n)).toBe("1.23 MFLOP");
    expect(formatFlops(1_005_000_000n)).toBe("1 GFLOP");
    expect(formatFlops(10n ** 27n)).toBe("1000 YFLOP");
    expect(formatFlops(9_007_199_254_740_993n)).toBe("9 PFLOP");
  });
  it("refuses negative work", () => {
    expect(() => formatFlops(-1n)).toThrow(RangeError);
  });
});

describe("labels", () => {
  it("names tiers and shortens hashes", () => {
    expect(tierName(3)).toBe("Platinum");
    expect(tierName(9)).toBe("Tier 9");
    expect(shortHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).toBe("0xf39F…2266");
  });
});

describe("formatDateTime", () => {
  it("reads a moment to the minute in UTC, from a Date or an ISO string", () => {
    expect(formatDateTime(new Date("2026-12-07T11:20:59.999Z"))).toBe("2026-12-07 11:20 UTC");
    expect(formatDateTime("2026-01-02T03:04:05Z")).toBe("2026-01-02 03:04 UTC");
    expect(formatDateTime("not a date")).toBe("—");
  });
});
