import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stakingAbi } from "@/contracts-abi/staking";
import { tierTable } from "@/lib/chain/tiers";
import { EPOCH_RULES } from "@/lib/epochs/rules";
import { startChain, type Chain } from "./helpers";

let chain: Chain;
beforeAll(async () => {
  chain = await startChain();
});
afterAll(() => chain?.stop());

describe("the TypeScript tier table (lib/chain/tiers.ts)", () => {
  it("equals Staking's on-chain tier table, threshold for threshold", async () => {
    const [stakes, works, multipliers] = await chain.read<[readonly bigint[], readonly bigint[], readonly bigint[]]>(chain.addr.staking, stakingAbi, "tierTable");
    expect(tierTable.map((t) => t.stake)).toEqual([...stakes]);
    expect(tierTable.map((t) => t.work)).toEqual([...works]);
    expect(tierTable.map((t) => t.multiplierBps)).toEqual([...multipliers]);
    // and the published reward rules weigh compute by the same multipliers
    expect(EPOCH_RULES.tierMultiplierBps.map(BigInt)).toEqual([...multipliers]);
  });
});
