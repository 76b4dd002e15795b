import { describe, expect, it } from "vitest";
import { tierMultiplierSql, tierTable } from "./tiers";

describe("tierMultiplierSql", () => {
  it("maps every tier of the table to its multiplier, an unknown one to bronze's", () => {
    expect(tierMultiplierSql("tier")).toBe("(CASE tier WHEN 0 THEN 10000 WHEN 1 THEN 12500 WHEN 2 THEN 15000 WHEN 3 THEN 20000 ELSE 10000 END)");
    expect(tierTable).toHaveLength(4);
  });
});
