import { parseEther } from "viem";
import { describe, expect, it } from "vitest";
import { parseCxt, tierPreview } from "./stake-preview";

describe("stake preview", () => {
  it("says the tier a stake reaches, or that it stays, with the stake after it", () => {
    const node = { stake: parseEther("500").toString(), workUnits: (10n ** 12n).toString() };
    expect(tierPreview(node, parseEther("400"))).toBe("Stake after: 900 CXT — stays Bronze.");
    expect(tierPreview(node, parseEther("500"))).toBe("Stake after: 1,000 CXT — Silver reached.");
    expect(tierPreview(node, null)).toBeNull();
  });

  it("reads CXT amounts, refusing what is not one", () => {
    expect(parseCxt(" 12.5 ")).toBe(parseEther("12.5"));
    expect(parseCxt("0")).toBe("The amount must be more than 0.");
    expect(parseCxt("1e3")).toBe("Enter an amount in CXT, e.g. 100 or 12.5.");
  });
});
