import { getAddress, zeroAddress } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { ANVIL_ADDRESSES, ANVIL_DEPLOYER_KEY, ANVIL_MNEMONIC, DEV_CHAIN_ID, DEV_RESOLVER, refusals } from "./deploy";

const stranger = getAddress("0x1234567890123456789012345678901234567890");
const other = getAddress("0x2234567890123456789012345678901234567890");
const live = { deployer: stranger, coordinator: other, resolver: stranger, challengeSeconds: 3600, unbondingSeconds: 86_400 };

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

  it("names the v3 settings: hand-over, coordinator = deployer, slasher = oracle, grace, epoch interval, timelock < unbonding", () => {
    const why = refusals(10, {
      ...live, deployer: stranger, coordinator: stranger, slasher: stranger, handOver: false, cancelGraceSeconds: 3599, minEpochIntervalSeconds: 3599, timelockDelaySeconds: 86_399, unbondingSeconds: 86_400,
    }).join("\n");
    expect(why).toMatch(/HAND_OVER=0/);
    expect(why).toMatch(/COORDINATOR_ADDRESS is the deployer/);
    expect(why).toMatch(/SLASHER_ADDRESS is the coordinator/);
    expect(why).toMatch(/cancel grace 3599 s is under 3600 s/);
    expect(why).toMatch(/epoch interval 3599 s is under 3600 s/);
    expect(why).toMatch(/timelock delay 86399 s is shorter than the unbonding period 86400 s/);
    const ok = { ...live, coordinator: other, resolver: stranger, slasher: getAddress("0x3234567890123456789012345678901234567890"), handOver: true, cancelGraceSeconds: 3600, minEpochIntervalSeconds: 3600, timelockDelaySeconds: 86_400 };
    expect(refusals(10, { ...ok, deployer: stranger })).toEqual([]);
    expect(refusals(DEV_CHAIN_ID, { ...ok, deployer: stranger, handOver: false, coordinator: stranger })).toEqual([]);
  });
});
