import { decodeEventLog, keccak256, parseEther, toHex, type Address, type Hex, type TransactionReceipt } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { expectRevert, fund, RewardsBook, snapshotter, startChain, type Chain } from "./helpers";

const UNBONDING = 1000;
let chain: Chain;
const snap = snapshotter(() => chain);
let admin: Address, alice: Address, bob: Address, slasher: Address, mallory: Address;

type Node = {
  owner: Address;
  kind: number;
  active: boolean;
  tier: number;
  stake: bigint;
  unbonding: bigint;
  slashCount: number;
  workUnits: bigint;
  metadataURI: string;
};

beforeAll(async () => {
  chain = await startChain({ unbondingSeconds: UNBONDING, challengeSeconds: 10 });
  [admin, alice, bob, slasher, mallory] = chain.accounts;
  const role = await chain.read<Hex>(chain.addr.staking, stakingAbi, "SLASHER_ROLE");
  await chain.tx(admin, chain.addr.staking, stakingAbi, "grantRole", [role, slasher]);
  await fund(chain, new RewardsBook(chain), [alice, bob], parseEther("200000"));
  for (const a of [alice, bob]) await chain.tx(a, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.staking, 2n ** 255n]);
});
afterAll(() => chain?.stop());
beforeEach(() => snap.take());
afterEach(() => snap.revert());

const node = (id: bigint) => chain.read<Node>(chain.addr.staking, stakingAbi, "getNode", [id]);
const balance = (a: Address) => chain.read<bigint>(chain.addr.token, cxtTokenAbi, "balanceOf", [a]);
const supply = () => chain.read<bigint>(chain.addr.token, cxtTokenAbi, "totalSupply");
const staking = (from: Address, fn: string, args: readonly unknown[]) => chain.tx(from, chain.addr.staking, stakingAbi, fn, args);

function events(r: TransactionReceipt) {
  return r.logs
    .filter((l) => l.address.toLowerCase() === chain.addr.staking.toLowerCase())
    .map((l) => decodeEventLog({ abi: stakingAbi, data: l.data, topics: l.topics }));
}

async function register(owner: Address, kind = 0, uri = "ipfs://node"): Promise<bigint> {
  const r = await staking(owner, "registerNode", [kind, uri]);
  const ev = events(r).find((e) => e.eventName === "NodeRegistered");
  if (ev?.eventName !== "NodeRegistered") throw new Error("no NodeRegistered");
  return ev.args.nodeId;
}

describe("node registry", () => {
  it("registers, updates and deactivates with events; only the owner may", async () => {
    const id = await register(alice, 3, "browser://tab");
    expect(id).toBe(1n);
    expect(await node(id)).toMatchObject({ owner: alice, kind: 3, active: true, tier: 0, stake: 0n, metadataURI: "browser://tab" });
    await expectRevert(staking(bob, "updateNode", [id, 0, "x"]), "NotNodeOwner");
    const r = await staking(alice, "updateNode", [id, 0, "gpu://h100"]);
    expect(events(r)).toEqual([{ eventName: "NodeUpdated", args: { nodeId: id, kind: 0, metadataURI: "gpu://h100" } }]);
    await expectRevert(staking(bob, "deactivateNode", [id]), "NotNodeOwner");
    await staking(alice, "deactivateNode", [id]);
    expect((await node(id)).active).toBe(false);
    await expectRevert(staking(alice, "updateNode", [id, 0, "y"]), "NodeInactive");
    await expectRevert(staking(alice, "stake", [id, 1n]), "NodeInactive");
    await expectRevert(staking(alice, "updateNode", [99n, 0, "y"]), "UnknownNode");
    // An out-of-range kind fails ABI decoding (no custom error).
    await expect(staking(alice, "registerNode", [4, "bad kind"])).rejects.toThrow(/reverted/);
  });
});

describe("staking and unbonding", () => {
  it("stakes, and the unbonding delay cannot be skipped", async () => {
    const id = await register(alice);
    const before = await balance(alice);
    await staking(alice, "stake", [id, parseEther("500")]);
    await expectRevert(staking(bob, "stake", [id, 1n]), "NotNodeOwner");
    await expectRevert(staking(alice, "requestUnstake", [id, parseEther("501")]), "InsufficientStake");
    await staking(alice, "requestUnstake", [id, parseEther("200")]);
    const n = await node(id);
    expect(n.stake).toBe(parseEther("300"));
    expect(n.unbonding).toBe(parseEther("200"));
    await expectRevert(staking(alice, "withdraw", [id]), "StillUnbonding");
    await chain.increaseTime(UNBONDING - 10);
    await expectRevert(staking(alice, "withdraw", [id]), "StillUnbonding");
    // A new request is a new tranche with its own release time; the first one is not pushed back.
    await staking(alice, "requestUnstake", [id, parseEther("100")]);
    await chain.increaseTime(20);
    await expectRevert(staking(bob, "withdraw", [id]), "NotNodeOwner");
    await staking(alice, "withdraw", [id]);
    expect(await balance(alice)).toBe(before - parseEther("300"));
    expect(await node(id)).toMatchObject({ stake: parseEther("200"), unbonding: parseEther("100") });
    await expectRevert(staking(alice, "withdraw", [id]), "StillUnbonding");
    await chain.increaseTime(UNBONDING);
    await staking(alice, "withdraw", [id]);
    expect(await balance(alice)).toBe(before - parseEther("200"));
    expect(await node(id)).toMatchObject({ stake: parseEther("200"), unbonding: 0n });
    await expectRevert(staking(alice, "withdraw", [id]), "NothingUnbonding");
  });

  it("tiers follow stake and work; votingWeight = stake × multiplier", async () => {
    const id = await register(alice);
    await staking(alice, "stake", [id, parseEther("1000")]);
    // Stake alone is not enough: silver also needs 1e11 work units.
    expect((await node(id)).tier).toBe(0);
    expect(await chain.read(chain.addr.staking, stakingAbi, "votingWeight", [id])).toBe(parseEther("1000"));
    const table = await chain.read<[bigint[], bigint[], bigint[]]>(chain.addr.staking, stakingAbi, "tierTable");
    expect(table[2]).toEqual([10000n, 12500n, 15000n, 20000n]);
  });
});

describe("slashing", () => {
  it("only the slasher slashes, at most 10 % of stake AND unbonding stake, into an escrow burned after the appeal period", async () => {
    const id = await register(alice);
    await staking(alice, "stake", [id, parseEther("1000")]);
    await staking(alice, "requestUnstake", [id, parseEther("400")]);
    const evidence = keccak256(toHex("evidence"));
    await expectRevert(staking(alice, "slash", [id, 1000, evidence]), "AccessControlUnauthorizedAccount");
    await expectRevert(staking(mallory, "slash", [id, 1000, evidence]), "AccessControlUnauthorizedAccount");
    await expectRevert(staking(slasher, "slash", [id, 1001, evidence]), "InvalidBps");
    await expectRevert(staking(slasher, "slash", [id, 0, evidence]), "InvalidBps");
    const supplyBefore = await supply();
    const r = await staking(slasher, "slash", [id, 1000, evidence]);
    expect(events(r)[0]).toEqual({
      eventName: "Slashed",
      args: {
        nodeId: id,
        slasher,
        bps: 1000,
        fromStake: parseEther("60"),
        fromUnbonding: parseEther("40"),
        newStake: parseEther("540"),
        newUnbonding: parseEther("360"),
        evidenceHash: evidence,
      },
    });
    // Escrowed, not burned yet: nothing leaves Staking until the appeal period is over.
    expect(await supply()).toBe(supplyBefore);
    expect(await balance(chain.addr.staking)).toBe(parseEther("1000"));
    expect(await chain.read(chain.addr.staking, stakingAbi, "totalEscrowed")).toBe(parseEther("100"));
    await expectRevert(staking(slasher, "slash", [id, 1000, evidence]), "AlreadySlashedThisEpoch");
    await expectRevert(staking(mallory, "burnSlash", [1n]), "AppealOpen");
    const appeal = await chain.read<bigint>(chain.addr.staking, stakingAbi, "slashAppealPeriod");
    await chain.increaseTime(Number(appeal));
    await staking(mallory, "burnSlash", [1n]);
    await expectRevert(staking(mallory, "burnSlash", [1n]), "SlashSettled");
    expect(await supply()).toBe(supplyBefore - parseEther("100"));
    expect(await node(id)).toMatchObject({ stake: parseEther("540"), unbonding: parseEther("360"), slashCount: 1 });
    expect(await balance(chain.addr.staking)).toBe(parseEther("900"));
  });

  it("a slash hits only its node", async () => {
    const a = await register(alice);
    const b = await register(bob);
    await staking(alice, "stake", [a, parseEther("100")]);
    await staking(bob, "stake", [b, parseEther("100")]);
    await staking(slasher, "slash", [a, 1000, keccak256(toHex("x"))]);
    expect((await node(a)).stake).toBe(parseEther("90"));
    expect((await node(b)).stake).toBe(parseEther("100"));
    expect(await balance(chain.addr.staking)).toBe(parseEther("200")); // 190 staked + 10 escrowed
  });
});

describe("roles", () => {
  it("only the admin grants and revokes roles; a revoked slasher cannot slash", async () => {
    const role = await chain.read<Hex>(chain.addr.staking, stakingAbi, "SLASHER_ROLE");
    const recorder = await chain.read<Hex>(chain.addr.staking, stakingAbi, "LEDGER_ROLE");
    await expectRevert(staking(mallory, "grantRole", [role, mallory]), "AccessControlUnauthorizedAccount");
    await expectRevert(staking(slasher, "grantRole", [role, mallory]), "AccessControlUnauthorizedAccount");
    await expectRevert(staking(mallory, "grantRole", [recorder, mallory]), "AccessControlUnauthorizedAccount");
    await expectRevert(staking(mallory, "revokeRole", [role, slasher]), "AccessControlUnauthorizedAccount");
    const id = await register(alice);
    await staking(alice, "stake", [id, parseEther("10")]);
    await staking(admin, "revokeRole", [role, slasher]);
    await expectRevert(staking(slasher, "slash", [id, 100, keccak256(toHex("x"))]), "AccessControlUnauthorizedAccount");
    expect(await chain.read(chain.addr.staking, stakingAbi, "hasRole", [role, slasher])).toBe(false);
  });

  it("the token's minter is the ledger, fixed at construction; nobody else mints", async () => {
    expect(await chain.read(chain.addr.token, cxtTokenAbi, "minter")).toBe(chain.addr.ledger);
    expect(cxtTokenAbi.some((i) => i.type === "function" && i.name === ("setMinter" as string))).toBe(false);
    await expectRevert(chain.tx(admin, chain.addr.token, cxtTokenAbi, "mint", [admin, 1n]), "NotMinter");
    await expectRevert(chain.tx(alice, chain.addr.token, cxtTokenAbi, "mint", [alice, 1n]), "NotMinter");
  });
});
