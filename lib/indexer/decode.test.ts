import { encodeAbiParameters, encodeEventTopics, type Abi } from "viem";
import { describe, expect, it } from "vitest";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { createDecoder, jsonArgs } from "./decode";
import { DecodeError } from "./errors";

const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const STAKING = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const decoder = createDecoder([
  { name: "CXTToken", address: TOKEN, startBlock: 1, abi: cxtTokenAbi as Abi },
  { name: "Staking", address: STAKING, startBlock: 1, abi: stakingAbi as Abi },
]);
const base = { blockNumber: "0x10", blockHash: "0x" + "ab".repeat(32), transactionHash: "0x" + "CD".repeat(32), logIndex: "0x3" };
const TS = "2026-01-01T00:00:00.000Z";

describe("createDecoder", () => {
  it("decodes indexed and data arguments and the log position", () => {
    const topics = encodeEventTopics({ abi: cxtTokenAbi as Abi, eventName: "Transfer", args: { from: A, to: B } } as never) as string[];
    const e = decoder.decode({ ...base, address: TOKEN.toLowerCase(), topics, data: encodeAbiParameters([{ type: "uint256" }], [10n ** 30n]) }, TS)!;
    expect(e).toMatchObject({ contract: "CXTToken", eventName: "Transfer", blockNumber: 16, logIndex: 3, txHash: base.transactionHash.toLowerCase(), timestamp: TS });
    expect(e.args).toEqual({ from: A, to: B, value: 10n ** 30n });
    expect(jsonArgs(e.args)).toEqual({ from: A.toLowerCase(), to: B.toLowerCase(), value: (10n ** 30n).toString() });
  });
  it("decodes events with strings and enums (NodeRegistered)", () => {
    const topics = encodeEventTopics({ abi: stakingAbi as Abi, eventName: "NodeRegistered", args: { nodeId: 7n, owner: A } } as never) as string[];
    const data = encodeAbiParameters([{ type: "uint8" }, { type: "string" }], [2, "ipfs://x"]);
    const e = decoder.decode({ ...base, address: STAKING, topics, data }, TS)!;
    expect(e.args).toEqual({ nodeId: 7n, owner: A, kind: 2, metadataURI: "ipfs://x" });
  });
  it("ignores unknown addresses and unknown events", () => {
    const topics = encodeEventTopics({ abi: cxtTokenAbi as Abi, eventName: "Transfer", args: { from: A, to: B } } as never) as string[];
    expect(decoder.decode({ ...base, address: B, topics, data: "0x" }, TS)).toBeNull();
    expect(decoder.decode({ ...base, address: TOKEN, topics: ["0x" + "11".repeat(32)], data: "0x" }, TS)).toBeNull();
  });
  it("a known event that does not decode is fatal", () => {
    const topics = encodeEventTopics({ abi: cxtTokenAbi as Abi, eventName: "Transfer", args: { from: A, to: B } } as never) as string[];
    expect(() => decoder.decode({ ...base, address: TOKEN, topics, data: "0x1234" }, TS)).toThrow(DecodeError);
    expect(() => decoder.decode({ ...base, address: TOKEN, topics: topics.slice(0, 2), data: "0x" }, TS)).toThrow(/indexed topics/);
  });
});
