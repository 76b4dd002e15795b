import { describe, expect, it } from "vitest";
import { formatCxt, shortHex, tierName } from "./format";

describe("formatCxt", () => {
  it("groups thousands and trims trailing zeros", () => {
    expect(formatCxt(1234567n * 10n ** 18n)).toBe("1,234,567");
    expect(formatCxt("1500000000000000000")).toBe("1.5");
    expect(formatCxt({ toFixed: () => "10000000000000000" })).toBe("0.01");
  });
  it("truncates to the requested decimals instead of rounding up", () => {
    expect(formatCxt(1999999999999999999n, 2)).toBe("1.99");
  });
});

describe("labels", () => {
  it("names tiers and shortens hashes", () => {
    expect(tierName(3)).toBe("Platinum");
    expect(tierName(9)).toBe("Tier 9");
    expect(shortHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).toBe("0xf39F…2266");
  });
});
