import { getAddress, zeroAddress } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { ANVIL_ADDRESSES, ANVIL_DEPLOYER_KEY, ANVIL_MNEMONIC, DEV_CHAIN_ID, DEV_RESOLVER, refusals } from "./deploy";

const stranger = getAddress("0x1234567890123456789012345678901234567890");
const other = getAddress("0x2234567890123456789012345678901234567890");
const live = { deployer: stranger, coordinator: stranger, resolver: other, challengeSeconds: 3600, unbondingSeconds: 86_400 };

describe("deploy refusals", () => {
  it("the listed anvil accounts are the default mnemonic's, and the default deployer key is #0", () => {
    expect(ANVIL_ADDRESSES).toEqual(Array.from({ length: 20 }, (_, i) => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }).address));
    expect(privateKeyToAccount(ANVIL_DEPLOYER_KEY).address).toBe(ANVIL_ADDRESSES[0]);
    expect(DEV_RESOLVER).toBe(ANVIL_ADDRESSES[9]);
  });

  it("accepts anything on the dev chain and real settings elsewhere", () => {
    expect(refusals(DEV_CHAIN_ID, { ...live, deployer: ANVIL_ADDRESSES[0], challengeSeconds: 1, unbondingSeconds: 1 })).toEqual([]);
    expect(refusals(1, live)).toEqual([]);
  });

  it("names every problem outside the dev chain", () => {
    const why = refusals(10, { deployer: ANVIL_ADDRESSES[0], coordinator: ANVIL_ADDRESSES[1], resolver: ANVIL_ADDRESSES[19], challengeSeconds: 3599, unbondingSeconds: 86_399 });
    expect(why.join("\n")).toMatch(/deployer key is one of anvil's well-known test keys/);
    expect(why.join("\n")).toMatch(/coordinator .* is an anvil test account/);
    expect(why.join("\n")).toMatch(/resolver .* is an anvil test account/);
    expect(why.join("\n")).toMatch(/challenge window 3599 s is under one hour/);
    expect(why.join("\n")).toMatch(/unbonding period 86399 s is under one day/);
    expect(why.at(-1)).toMatch(/only chain id 31337/);
    // Addresses compare case-insensitively.
    expect(refusals(10, { ...live, coordinator: ANVIL_ADDRESSES[2].toLowerCase() as `0x${string}` })).toHaveLength(2);
    expect(refusals(10, { ...live, resolver: zeroAddress })).toEqual([]); // a missing resolver is deployAll's check
  });
});
