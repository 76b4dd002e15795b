/**
 * The outside reviews' findings — the nine of issue 7 and the v3 items of issue 19 — each replayed as
 * the attack it describes: every test runs the attacker's steps against the deployed contracts and
 * checks that they now do no harm.
 */
import { createTestClient, encodeDeployData, encodeFunctionData, http, parseAbiItem, keccak256, parseEther, publicActions, toFunctionSelector, toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { contributionLedgerAbi, contributionLedgerBytecode } from "@/contracts-abi/contribution-ledger";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi, stakingBytecode } from "@/contracts-abi/staking";
import { taskManagerAbi, taskManagerBytecode } from "@/contracts-abi/task-manager";
import { timelockControllerAbi as timelockAbi } from "@/contracts-abi/timelock-controller";
import { epochProof, feesTree, type CredentialLeafInput, type FeeLeaf } from "@/lib/epochs/rules";
import { ANVIL_ADDRESSES, deployAll } from "@/scripts/contracts/deploy";
import { checkFees, type Reader } from "@/scripts/verify-epoch";
import { startAnvil } from "@/test/support/anvil";
import { expectRevert, fund, RewardsBook, snapshotter, startChain, type Chain } from "./helpers";

const CAP = parseEther("10000");
const WINDOW = 100;
const UNBONDING = 1000;
const BOND = parseEther("50");
const MIN_DISPUTE_STAKE = parseEther("100");
const NO_PROVIDER = "0x0000000000000000000000000000000000000000";

let chain: Chain;
const snap = snapshotter(() => chain);
let coordinator: Address, alice: Address, bob: Address, carol: Address, mallory: Address, resolver: Address;

beforeAll(async () => {
  chain = await startChain({
    challengeSeconds: WINDOW,
    unbondingSeconds: UNBONDING,
    emission: { initialEpochCap: CAP, halvingEpochs: 100, maxEmission: CAP * 100n },
    minDisputeStake: MIN_DISPUTE_STAKE,
    disputeBond: BOND,
  });
  [coordinator, alice, bob, carol, mallory] = chain.accounts;
  resolver = chain.deployment.roles.resolver;
});
afterAll(() => chain?.stop());
beforeEach(() => snap.take());
afterEach(() => snap.revert());

const balance = (a: Address) => chain.read<bigint>(chain.addr.token, cxtTokenAbi, "balanceOf", [a]);
const supply = () => chain.read<bigint>(chain.addr.token, cxtTokenAbi, "totalSupply");
const staking = (from: Address, fn: string, args: readonly unknown[] = []) => chain.tx(from, chain.addr.staking, stakingAbi, fn, args);
const ledger = (from: Address, fn: string, args: readonly unknown[] = []) => chain.tx(from, chain.addr.ledger, contributionLedgerAbi, fn, args);
const node = (id: bigint) => chain.read<{ tier: number; workUnits: bigint; stake: bigint; unbonding: bigint; locked: boolean }>(chain.addr.staking, stakingAbi, "getNode", [id]);
const nodeCount = () => chain.read<bigint>(chain.addr.staking, stakingAbi, "nodeCount");

/** Registers a node for `owner` and stakes `amount` on it (the owner must hold the CXT). */
async function stakedNode(owner: Address, amount: bigint): Promise<bigint> {
  await staking(owner, "registerNode", [0, "node"]);
  const id = await nodeCount();
  await chain.tx(owner, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.staking, 2n ** 255n]);
  if (amount > 0n) await staking(owner, "stake", [id, amount]);
  return id;
}

/** A watchtower's check of a posted epoch: does Σ leaves − Σ previous leaves equal the declared total? */
function recomputedTotal(book: RewardsBook, epoch: bigint): bigint {
  const sum = (e: bigint) => {
    const tree = book.trees.get(e);
    if (!tree) return 0n;
    let s = 0n;
    for (const [, leaf] of tree.entries()) s += BigInt(leaf[2]);
    return s;
  };
  return sum(epoch) - sum(epoch - 1n);
}

describe("finding 1: a cumulative root paying someone else from the shared allowance", () => {
  it("a total-0 root paying mallory is disputed by a watchtower, invalidated by the resolver (not the poster), and alice still gets paid", async () => {
    const book = new RewardsBook(chain);
    // Epochs 1–3 post 10k each; carol (a watchtower with a staked node) is paid in epoch 1.
    book.credit(alice, parseEther("9000")).credit(carol, parseEther("1000"));
    await book.postAndFinalize();
    await book.claim(carol);
    const watchNode = await stakedNode(carol, parseEther("500"));
    await chain.tx(carol, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.ledger, BOND]);
    for (let i = 0; i < 2; i++) {
      book.credit(alice, CAP);
      await book.postAndFinalize();
    }
    const owedToAlice = parseEther("29000");
    expect(book.proof(alice).leaf[2]).toBe(owedToAlice);

    // Epoch 4: declared total 0, but the (published) tree adds a 29,000 leaf for mallory.
    book.credit(mallory, owedToAlice);
    const { epoch } = await book.post({ total: 0n });
    expect(recomputedTotal(book, epoch)).toBe(owedToAlice); // ≠ 0: the watchtower disputes
    await ledger(carol, "dispute", [epoch, watchNode, keccak256(toHex("leaves exceed total"))]);
    // The poster cannot judge its own root; the resolver is a different key.
    expect(resolver).not.toBe(coordinator);
    await expectRevert(ledger(coordinator, "resolveDispute", [epoch, 0n, false]), "AccessControlUnauthorizedAccount");
    await ledger(resolver, "resolveDispute", [epoch, 0n, true]);

    await chain.increaseTime(WINDOW);
    await expectRevert(book.claim(mallory, 0n, { epoch }), "NotLatestFinalEpoch");
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "latestFinalEpoch")).toBe(3n);
    await book.claim(alice, 0n, { epoch: 3n });
    expect(await balance(alice)).toBe(owedToAlice);
    expect(await balance(mallory)).toBe(0n);
    expect(await balance(carol)).toBe(parseEther("500")); // bond back: 1,000 − 500 staked
  });
});

describe("finding 2: one key judging its own roots; an all-powerful, instant admin", () => {
  it("the oracle and the resolver are different addresses and one address can never hold both", async () => {
    const d = chain.deployment;
    expect(d.roles.resolver).not.toBe(d.roles.coordinator);
    const [oracleRole, resolverRole] = await Promise.all([
      chain.read<Hex>(chain.addr.ledger, contributionLedgerAbi, "ORACLE_ROLE"),
      chain.read<Hex>(chain.addr.ledger, contributionLedgerAbi, "RESOLVER_ROLE"),
    ]);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "hasRole", [resolverRole, d.roles.coordinator])).toBe(false);
    // Even the admin cannot make the oracle its own judge (or the resolver a poster).
    await expectRevert(ledger(d.roles.admin, "grantRole", [resolverRole, d.roles.coordinator]), "OracleIsResolver");
    await expectRevert(ledger(d.roles.admin, "grantRole", [oracleRole, d.roles.resolver]), "OracleIsResolver");
  });

  it("DEFAULT_ADMIN_ROLE moves only by a delayed two-step transfer; it cannot be granted or dropped at once", async () => {
    const admin = chain.deployment.roles.admin;
    const adminRole = "0x" + "00".repeat(32);
    for (const [address, abi] of [
      [chain.addr.staking, stakingAbi],
      [chain.addr.ledger, contributionLedgerAbi],
      [chain.addr.tasks, taskManagerAbi],
    ] as const) {
      expect(await chain.read(address, abi, "defaultAdminDelay")).toBe(chain.deployment.config.adminDelaySeconds);
      await expectRevert(chain.tx(admin, address, abi, "grantRole", [adminRole, mallory]), "AccessControlEnforcedDefaultAdminRules");
      await expectRevert(chain.tx(admin, address, abi, "renounceRole", [adminRole, admin]), "AccessControlEnforcedDefaultAdminDelay");
      await chain.tx(admin, address, abi, "beginDefaultAdminTransfer", [mallory]);
      await expectRevert(chain.tx(mallory, address, abi, "acceptDefaultAdminTransfer"), "AccessControlEnforcedDefaultAdminDelay");
    }
  });

  it("once handed over to the timelock, the deployer can no longer fake work, pay escrow to itself or stop emission", async () => {
    const other = await startChain({ handOver: true, challengeSeconds: WINDOW });
    try {
      const deployer = other.deployment.roles.deployer;
      expect(other.deployment.roles.admin).toBe(other.addr.timelock);
      const ledgerRole = await other.read<Hex>(other.addr.staking, stakingAbi, "LEDGER_ROLE");
      const coordRole = await other.read<Hex>(other.addr.tasks, taskManagerAbi, "COORDINATOR_ROLE");
      const oracleRole = await other.read<Hex>(other.addr.ledger, contributionLedgerAbi, "ORACLE_ROLE");
      await expectRevert(other.tx(deployer, other.addr.staking, stakingAbi, "grantRole", [ledgerRole, deployer]), "AccessControlUnauthorizedAccount");
      await expectRevert(other.tx(deployer, other.addr.tasks, taskManagerAbi, "grantRole", [coordRole, deployer]), "AccessControlUnauthorizedAccount");
      await expectRevert(other.tx(deployer, other.addr.ledger, contributionLedgerAbi, "revokeRole", [oracleRole, deployer]), "AccessControlUnauthorizedAccount");
      for (const [address, abi] of [
        [other.addr.staking, stakingAbi],
        [other.addr.ledger, contributionLedgerAbi],
        [other.addr.tasks, taskManagerAbi],
      ] as const) {
        expect(await other.read(address, abi, "defaultAdmin")).toBe(other.addr.timelock);
      }
    } finally {
      await other.stop();
    }
  });

  it("a zero challenge window is rejected by the constructor (and by the deploy script before it sends anything)", async () => {
    await expect(startChain({ challengeSeconds: 0 })).rejects.toThrow(/challenge window must be longer than 0 s/);
    // The constructor itself: deploy the ledger by hand with challengeWindow 0.
    const args: unknown[] = [
      chain.addr.token,
      chain.addr.staking,
      { admin: coordinator, adminDelay: 0, oracle: coordinator, resolver },
      { challengeWindow: 0n, halvingEpochs: 1n, initialEpochCap: 1n, maxEmission: 1n, minDisputeStake: 0n, disputeBond: 0n, minEpochInterval: 0n, resolutionPeriod: 1n },
    ];
    // The creation reverts with InvalidConfig() (its selector is in the message: errors are not decoded while deploying).
    const data = encodeDeployData({ abi: contributionLedgerAbi, bytecode: contributionLedgerBytecode, args: args as never });
    await expect(chain.client.call({ account: coordinator, data })).rejects.toThrow(toFunctionSelector("InvalidConfig()"));
    await expect(chain.deploy(contributionLedgerAbi, contributionLedgerBytecode, args)).rejects.toThrow(/deploy failed/);
    args[3] = { ...(args[3] as object), challengeWindow: 1n };
    await chain.deploy(contributionLedgerAbi, contributionLedgerBytecode, args);
  });

  it("the deploy script refuses anvil's keys, short windows and a missing resolver outside chain 31337, and says why", async () => {
    const live = await startAnvil({ chainId: 1337 });
    try {
      const client = createTestClient({ mode: "anvil", transport: http(live.rpcUrl) }).extend(publicActions);
      const err = await deployAll({ rpcUrl: live.rpcUrl, deploymentsDir: null, challengeSeconds: 60, unbondingSeconds: 300 }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      const msg = (err as Error).message;
      expect(msg).toMatch(/refusing to deploy to chain 1337/);
      expect(msg).toMatch(/no resolver/);
      expect(msg).toMatch(/well-known test keys/);
      expect(msg).toMatch(/challenge window 60 s is under one hour/);
      expect(msg).toMatch(/unbonding period 300 s is under one day/);
      expect(await client.getTransactionCount({ address: ANVIL_ADDRESSES[0] })).toBe(0); // nothing was sent

      // A fresh key, real windows (the defaults), distinct coordinator and resolver: deploys and hands over.
      const key = generatePrivateKey();
      const deployer = privateKeyToAccount(key).address;
      await client.setBalance({ address: deployer, value: parseEther("100") });
      const coord = privateKeyToAccount(generatePrivateKey()).address;
      const res = privateKeyToAccount(generatePrivateKey()).address;
      const slasher = privateKeyToAccount(generatePrivateKey()).address;
      await expect(deployAll({ rpcUrl: live.rpcUrl, deploymentsDir: null, privateKey: key, coordinator: ANVIL_ADDRESSES[1], resolver: res, slasher })).rejects.toThrow(/coordinator .* is an anvil test account/);
      const d = await deployAll({ rpcUrl: live.rpcUrl, deploymentsDir: null, privateKey: key, coordinator: coord, resolver: res, slasher });
      expect(d.roles).toMatchObject({ handedOver: true, admin: d.contracts.TimelockController.address, coordinator: coord, resolver: res, slasher });
      expect(d.config).toMatchObject({ challengeSeconds: 86_400, unbondingSeconds: 7 * 86_400 });
    } finally {
      await live.stop();
    }
  });
});

describe("finding 3: cancel front-running completion", () => {
  it("a cancel sent in the same block as the coordinator's complete does not take the accepted work's pay", async () => {
    const book = new RewardsBook(chain);
    await fund(chain, book, [alice], parseEther("100"));
    await chain.tx(alice, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.tasks, parseEther("100")]);
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "createTask", [keccak256(toHex("job")), 4, parseEther("100"), 0, NO_PROVIDER, 0]);
    // Same block: the creator's cancel first, then the coordinator's completion.
    await chain.client.setAutomine(false);
    try {
      const cancel = await chain.client.writeContract({ account: alice, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "cancelTask", args: [1n], gas: 300_000n });
      const complete = await chain.client.writeContract({ account: coordinator, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "complete", args: [1n, keccak256(toHex("model"))], gas: 500_000n });
      await chain.client.mine({ blocks: 1 });
      const [rc, rp] = await Promise.all([chain.client.waitForTransactionReceipt({ hash: cancel }), chain.client.waitForTransactionReceipt({ hash: complete })]);
      expect(rc.blockNumber).toBe(rp.blockNumber);
      expect(rc.status).toBe("success"); // a request, not a cancellation
      expect(rp.status).toBe("success");
    } finally {
      await chain.client.setAutomine(true);
    }
    expect((await chain.read<{ status: number }>(chain.addr.tasks, taskManagerAbi, "getTask", [1n])).status).toBe(2); // Completed
    // The accepted work's pay and the refund follow through the next epoch's root.
    book.fee(1n, bob, parseEther("30")).fee(1n, carol, parseEther("20")).fee(1n, alice, parseEther("50"), "refund");
    await book.postAndFinalize();
    for (const who of [bob, carol]) await chain.tx(who, chain.addr.tasks, taskManagerAbi, "claimFee", book.feeClaimArgs(1n, who));
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "claimRefund", book.refundClaimArgs(1n, alice));
    expect(await balance(bob)).toBe(parseEther("30"));
    expect(await balance(carol)).toBe(parseEther("20"));
    expect(await balance(alice)).toBe(parseEther("50"));
  });

  it("the coordinator settles a requested cancel; silent, the creator closes it after the grace period; the work's pay survives both", async () => {
    const book = new RewardsBook(chain);
    await fund(chain, book, [alice], parseEther("200"));
    await chain.tx(alice, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.tasks, parseEther("200")]);
    const spec = keccak256(toHex("job"));
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "createTask", [spec, 4, parseEther("100"), 0, NO_PROVIDER, 0]);
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "createTask", [spec, 4, parseEther("100"), 0, NO_PROVIDER, 0]);
    await expectRevert(chain.tx(coordinator, chain.addr.tasks, taskManagerAbi, "settleCancel", [1n]), "CancelNotRequested");
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "cancelTask", [1n]);
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "cancelTask", [2n]);
    await expectRevert(chain.tx(alice, chain.addr.tasks, taskManagerAbi, "cancelTask", [1n]), "CancelPending");
    await chain.tx(coordinator, chain.addr.tasks, taskManagerAbi, "settleCancel", [1n]);
    await chain.increaseTime(chain.deployment.config.cancelGraceSeconds);
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "cancelTask", [2n]);
    // Both closed, nothing paid yet; bob's accepted work on each keeps its pay through the root.
    expect(await balance(chain.addr.tasks)).toBe(parseEther("200"));
    book.fee(1n, bob, parseEther("40")).fee(1n, alice, parseEther("60"), "refund").fee(2n, bob, parseEther("10")).fee(2n, alice, parseEther("90"), "refund");
    await book.postAndFinalize();
    for (const t of [1n, 2n]) {
      await chain.tx(bob, chain.addr.tasks, taskManagerAbi, "claimFee", book.feeClaimArgs(t, bob));
      await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "claimRefund", book.refundClaimArgs(t, alice));
    }
    expect(await balance(bob)).toBe(parseEther("50"));
    expect(await balance(alice)).toBe(parseEther("150"));
    expect(await balance(chain.addr.tasks)).toBe(0n);
  });
});

describe("finding 4: free, dodgeable disputes", () => {
  async function disputeSetup() {
    const book = new RewardsBook(chain);
    await fund(chain, book, [carol], parseEther("1000"));
    const id = await stakedNode(carol, parseEther("500"));
    book.credit(alice, parseEther("10"));
    const { epoch } = await book.post();
    return { book, id, epoch };
  }

  it("a dispute needs a bond; the disputer cannot unstake or withdraw before the resolution; a rejected dispute burns the bond", async () => {
    const { book, id, epoch } = await disputeSetup();
    await staking(carol, "requestUnstake", [id, parseEther("100")]); // an earlier tranche
    await expectRevert(ledger(carol, "dispute", [epoch, id, keccak256(toHex("spam"))]), "ERC20InsufficientAllowance");
    await chain.tx(carol, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.ledger, BOND]);
    const supplyBefore = await supply();
    await ledger(carol, "dispute", [epoch, id, keccak256(toHex("spam"))]);
    expect(await balance(carol)).toBe(parseEther("450"));
    // The same-block exit of the review: unstake (or withdraw) right after disputing.
    await expectRevert(staking(carol, "requestUnstake", [id, parseEther("400")]), "StakeLocked");
    await chain.increaseTime(UNBONDING);
    await expectRevert(staking(carol, "withdraw", [id]), "StakeLocked");
    expect((await node(id)).locked).toBe(true);
    await ledger(resolver, "resolveDispute", [epoch, 0n, false]);
    expect(await supply()).toBe(supplyBefore - BOND); // forfeited bond burned
    expect(await balance(chain.addr.ledger)).toBe(0n);
    expect((await node(id)).locked).toBe(false);
    await staking(carol, "withdraw", [id]);
    await staking(carol, "requestUnstake", [id, parseEther("400")]);
    await book.claim(alice);
  });

  it("an upheld dispute returns the bond", async () => {
    const { id, epoch } = await disputeSetup();
    await chain.tx(carol, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.ledger, BOND]);
    await ledger(carol, "dispute", [epoch, id, keccak256(toHex("bad root"))]);
    await ledger(resolver, "resolveDispute", [epoch, 0n, true]);
    expect(await balance(carol)).toBe(parseEther("500"));
  });
});

describe("finding 5: older-epoch claims griefing batches", () => {
  it("a relayer's batch against the latest final epoch succeeds whoever claimed first; older epochs are refused outright", async () => {
    const book = new RewardsBook(chain);
    book.credit(alice, parseEther("5000")).credit(mallory, parseEther("5000"));
    await book.postAndFinalize();
    book.credit(alice, parseEther("5000")).credit(mallory, parseEther("5000"));
    await book.postAndFinalize();
    // Mallory claims first, against the latest epoch (the review's griefing step).
    await book.claim(mallory);
    const input = (a: Address, epoch = book.epoch) => {
      const [e, account, nodeId, cumulativeAmount, cumulativeWorkUnits, proof] = book.claimArgs(a, 0n, epoch);
      return { epoch: e, account, nodeId, cumulativeAmount, cumulativeWorkUnits, proof };
    };
    // A batch built against the older epoch fails up front with a clear reason, for every entry alike.
    await expectRevert(ledger(coordinator, "claimMany", [[input(alice, 1n)]]), "NotLatestFinalEpoch");
    await ledger(coordinator, "claimMany", [[input(alice), input(mallory)]]);
    expect(await balance(alice)).toBe(parseEther("10000"));
    expect(await balance(mallory)).toBe(parseEther("10000"));
    // While the next epoch is in its challenge window, the previous final one stays the claimable one.
    book.credit(bob, parseEther("100"));
    await book.post();
    await expectRevert(book.claim(bob), "NotLatestFinalEpoch");
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "latestFinalEpoch")).toBe(2n);
    await chain.increaseTime(WINDOW);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "latestFinalEpoch")).toBe(3n);
    await book.claim(bob);
    await expectRevert(ledger(coordinator, "claimMany", [[input(alice, 2n)]]), "NotLatestFinalEpoch");
  });
});

describe("finding 6: work recorded on someone else's node", () => {
  it("bob's leaf naming alice's node cannot lift it to gold", async () => {
    const book = new RewardsBook(chain);
    await fund(chain, book, [alice], parseEther("10000"));
    const aliceNode = await stakedNode(alice, parseEther("10000"));
    book.credit(bob, parseEther("1"), aliceNode, 10n ** 13n);
    await book.postAndFinalize();
    await expectRevert(book.claim(bob, aliceNode), "NotNodeOwner");
    expect(await node(aliceNode)).toMatchObject({ workUnits: 0n, tier: 0 });
    expect(await balance(bob)).toBe(0n);
  });
});

describe("finding 7: deactivated nodes keeping power", () => {
  it("a deactivated node loses tier and weight, cannot dispute and gets no work", async () => {
    const book = new RewardsBook(chain);
    await fund(chain, book, [alice], parseEther("10000"));
    const id = await stakedNode(alice, parseEther("10000"));
    book.credit(alice, parseEther("1"), id, 10n ** 13n);
    await book.postAndFinalize();
    await book.claim(alice, id);
    expect((await node(id)).tier).toBe(2);
    expect(await chain.read(chain.addr.staking, stakingAbi, "getVotes", [alice])).toBe(parseEther("15000"));

    await staking(alice, "deactivateNode", [id]);
    expect((await node(id)).tier).toBe(0);
    expect(await chain.read(chain.addr.staking, stakingAbi, "votingWeight", [id])).toBe(0n);
    expect(await chain.read(chain.addr.staking, stakingAbi, "getVotes", [alice])).toBe(0n);

    book.credit(alice, parseEther("2"), id, 10n ** 13n);
    const { epoch } = await book.post();
    await chain.tx(alice, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.ledger, BOND]);
    await expectRevert(ledger(alice, "dispute", [epoch, id, keccak256(toHex("x"))]), "NodeInactive");
    await chain.increaseTime(WINDOW);
    const before = await balance(alice);
    await book.claim(alice, id); // the CXT is still hers; the work is not recorded
    expect(await balance(alice)).toBe(before + parseEther("2"));
    expect((await node(id)).workUnits).toBe(10n ** 13n);
    // Its stake can still leave.
    await staking(alice, "requestUnstake", [id, parseEther("10000")]);
  });
});

describe("finding 8: the unbonding trap", () => {
  it("a 1-wei request just before release does not push 9,000 CXT back a period", async () => {
    await fund(chain, new RewardsBook(chain), [alice], parseEther("9000"));
    const id = await stakedNode(alice, parseEther("9000"));
    await staking(alice, "requestUnstake", [id, parseEther("9000") - 1n]);
    const [{ releaseAt }] = await chain.read<{ releaseAt: bigint }[]>(chain.addr.staking, stakingAbi, "tranchesOf", [id]);
    await chain.client.setNextBlockTimestamp({ timestamp: releaseAt - 1n });
    await staking(alice, "requestUnstake", [id, 1n]); // one second before release
    await chain.client.setNextBlockTimestamp({ timestamp: releaseAt });
    await chain.client.mine({ blocks: 1 });
    await staking(alice, "withdraw", [id]);
    expect(await balance(alice)).toBe(parseEther("9000") - 1n);
    expect(await node(id)).toMatchObject({ unbonding: 1n });
    const tranches = await chain.read<{ amount: bigint }[]>(chain.addr.staking, stakingAbi, "tranchesOf", [id]);
    expect(tranches.map((t) => t.amount)).toEqual([1n]);
  });
});

describe("finding 9: staked CXT losing its votes", () => {
  it("stake × tier multiplier is governance weight at once, checkpointed and delegable", async () => {
    const book = new RewardsBook(chain);
    await fund(chain, book, [alice], parseEther("1000"));
    const id = await stakedNode(alice, parseEther("1000"));
    // No delegate() call needed: an owner's weight counts for itself.
    expect(await chain.read(chain.addr.staking, stakingAbi, "getVotes", [alice])).toBe(parseEther("1000"));
    expect(await chain.read(chain.addr.staking, stakingAbi, "CLOCK_MODE")).toBe("mode=timestamp");
    const stakedAt = (await chain.client.getBlock()).timestamp;
    await chain.increaseTime(1); // getPastVotes needs a past timepoint
    book.credit(alice, parseEther("1"), id, 10n ** 11n);
    await book.postAndFinalize();
    await book.claim(alice, id); // silver: 1.25×
    expect(await chain.read(chain.addr.staking, stakingAbi, "getVotes", [alice])).toBe(parseEther("1250"));
    expect(await chain.read(chain.addr.staking, stakingAbi, "getPastVotes", [alice, stakedAt])).toBe(parseEther("1000"));
    await staking(alice, "delegate", [bob]);
    expect(await chain.read(chain.addr.staking, stakingAbi, "getVotes", [alice])).toBe(0n);
    expect(await chain.read(chain.addr.staking, stakingAbi, "getVotes", [bob])).toBe(parseEther("1250"));
    await staking(alice, "requestUnstake", [id, parseEther("500")]); // below silver's stake: 500 × 1.0
    expect(await chain.read(chain.addr.staking, stakingAbi, "getVotes", [bob])).toBe(parseEther("500"));
    await staking(alice, "delegate", ["0x0000000000000000000000000000000000000000"]); // back to herself
    expect(await chain.read(chain.addr.staking, stakingAbi, "getVotes", [alice])).toBe(parseEther("500"));
  });
});

describe("governance through the timelock", () => {
  it("stakers propose, vote, queue and execute a role change that no single key can make", async () => {
    const g = await startChain({ handOver: true, challengeSeconds: WINDOW });
    try {
      const [, voter, , newSlasher] = g.accounts; // account #3: neither the oracle (#0) nor the dev slasher (#8)
      const deployer = g.deployment.roles.deployer;
      await fund(g, new RewardsBook(g), [voter], parseEther("1000"));
      await g.tx(voter, g.addr.staking, stakingAbi, "registerNode", [0, "voter"]);
      await g.tx(voter, g.addr.token, cxtTokenAbi, "approve", [g.addr.staking, parseEther("1000")]);
      await g.tx(voter, g.addr.staking, stakingAbi, "stake", [1n, parseEther("1000")]);
      const slasherRole = await g.read<Hex>(g.addr.staking, stakingAbi, "SLASHER_ROLE");
      await expectRevert(g.tx(deployer, g.addr.staking, stakingAbi, "grantRole", [slasherRole, newSlasher]), "AccessControlUnauthorizedAccount");

      const { corexGovernorAbi } = await import("@/contracts-abi/corex-governor");
      const targets = [g.addr.staking];
      const values = [0n];
      const calldatas = [encodeFunctionData({ abi: stakingAbi, functionName: "grantRole", args: [slasherRole, newSlasher] })];
      const description = "Grant SLASHER_ROLE to a second coordinator";
      const descriptionHash = keccak256(toHex(description));
      const gov = (from: Address, fn: string, args: readonly unknown[]) => g.tx(from, g.addr.governor, corexGovernorAbi, fn, args);
      const proposalId = await g.read<bigint>(g.addr.governor, corexGovernorAbi, "hashProposal", [targets, values, calldatas, descriptionHash]);
      await gov(voter, "propose", [targets, values, calldatas, description]);
      await g.increaseTime(g.deployment.config.votingDelaySeconds + 1);
      await gov(voter, "castVote", [proposalId, 1]);
      await g.increaseTime(g.deployment.config.votingPeriodSeconds + 1);
      expect(await g.read(g.addr.governor, corexGovernorAbi, "state", [proposalId])).toBe(4); // Succeeded
      await gov(voter, "queue", [targets, values, calldatas, descriptionHash]);
      await expect(gov(voter, "execute", [targets, values, calldatas, descriptionHash])).rejects.toThrow(/TimelockUnexpectedOperationState/);
      await g.increaseTime(g.deployment.config.timelockDelaySeconds);
      await gov(voter, "execute", [targets, values, calldatas, descriptionHash]);
      expect(await g.read(g.addr.staking, stakingAbi, "hasRole", [slasherRole, newSlasher])).toBe(true);
    } finally {
      await g.stop();
    }
  });
});

// ------------------------------------------------------------------------------------------------
// Issue 19 (contracts v3): no hot key can burn stakes, freeze emission or outrun the schedule.

const epochStatus = async (e: bigint) => (await chain.read<{ status: number }>(chain.addr.ledger, contributionLedgerAbi, "getEpoch", [e])).status;
const approveBond = (who: Address, amount = BOND) => chain.tx(who, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.ledger, amount]);

describe("v3 item 1: the oracle's hot key slashing stakes", () => {
  it("the oracle cannot slash, and no grant or constructor can give one key both roles", async () => {
    const { roles } = chain.deployment;
    expect(roles.slasher).not.toBe(coordinator);
    await fund(chain, new RewardsBook(chain), [alice], parseEther("1000"));
    const id = await stakedNode(alice, parseEther("1000"));
    await expectRevert(staking(coordinator, "slash", [id, 1000, keccak256(toHex("forged"))]), "AccessControlUnauthorizedAccount");
    const slasherRole = await chain.read<Hex>(chain.addr.staking, stakingAbi, "SLASHER_ROLE");
    const oracleRole = await chain.read<Hex>(chain.addr.ledger, contributionLedgerAbi, "ORACLE_ROLE");
    // Even the admin cannot make the oracle a slasher, or the slasher an oracle.
    await expectRevert(staking(roles.admin, "grantRole", [slasherRole, coordinator]), "SlasherIsOracle");
    await expectRevert(ledger(roles.admin, "grantRole", [oracleRole, roles.slasher]), "OracleIsSlasher");
    // A Staking constructed with the ledger's oracle as its slasher does not deploy.
    const args: unknown[] = [chain.addr.token, 1000n, coordinator, 0, coordinator, chain.addr.ledger, 300n];
    await expect(chain.deploy(stakingAbi, stakingBytecode, args)).rejects.toThrow(/deploy failed/);
    args[4] = bob;
    await chain.deploy(stakingAbi, stakingBytecode, args);
  });

  it("a stolen slasher key takes at most 10 % per node per epoch, never from a disputer, into an escrow governance can return", async () => {
    const slasher = chain.deployment.roles.slasher;
    const admin = chain.deployment.roles.admin;
    const book = new RewardsBook(chain);
    await fund(chain, book, [alice, carol], parseEther("1000"));
    const id = await stakedNode(alice, parseEther("1000"));
    const forged = keccak256(toHex("forged evidence"));
    // The attack: burn the whole stake at once, then again and again.
    await expectRevert(staking(slasher, "slash", [id, 10_000, forged]), "InvalidBps");
    await staking(slasher, "slash", [id, 1000, forged]);
    await expectRevert(staking(slasher, "slash", [id, 1000, forged]), "AlreadySlashedThisEpoch");
    expect((await node(id)).stake).toBe(parseEther("900"));
    // Nothing is burned yet: the slash waits in escrow, and governance returns it on appeal.
    const supplyBefore = await supply();
    await expectRevert(staking(mallory, "burnSlash", [1n]), "AppealOpen");
    await expectRevert(staking(slasher, "returnSlash", [1n]), "AccessControlUnauthorizedAccount");
    await staking(admin, "returnSlash", [1n]);
    expect(await balance(alice)).toBe(parseEther("100"));
    expect(await supply()).toBe(supplyBefore);

    // A node whose dispute is pending cannot be slashed to punish the watchtower.
    const watch = await stakedNode(carol, parseEther("500"));
    await approveBond(carol);
    const { epoch } = await book.post();
    await ledger(carol, "dispute", [epoch, watch, keccak256(toHex("bad root"))]);
    await expectRevert(staking(slasher, "slash", [watch, 1000, forged]), "StakeLocked");
    await ledger(resolver, "resolveDispute", [epoch, 0n, false]); // the resolver's verdict: bond burned
    // After the verdict, and once the appeal period is over, a slash is final and anyone burns it.
    await staking(slasher, "slash", [watch, 1000, forged]);
    await chain.increaseTime(Number(await chain.read<bigint>(chain.addr.staking, stakingAbi, "slashAppealPeriod")));
    await expectRevert(staking(admin, "returnSlash", [2n]), "AppealClosed");
    const before = await supply();
    await staking(mallory, "burnSlash", [2n]);
    expect(await supply()).toBe(before - parseEther("50"));
    expect(await chain.read(chain.addr.staking, stakingAbi, "totalEscrowed")).toBe(0n);
  });
});

describe("v3 items 4–6: disputes that freeze emission, decoys, slack allowance", () => {
  async function watchtower(who: Address, stake = parseEther("500")) {
    const id = await stakedNode(who, stake);
    await approveBond(who);
    return id;
  }

  it("item 4: a silent resolver cannot freeze emission — past resolveBy anyone settles the dispute as upheld", async () => {
    const book = new RewardsBook(chain);
    await fund(chain, book, [carol], parseEther("1000"));
    const id = await watchtower(carol);
    book.credit(alice, parseEther("10"));
    const { epoch } = await book.post();
    await ledger(carol, "dispute", [epoch, id, keccak256(toHex("bad root"))]);
    const d = await chain.read<{ resolveBy: bigint; bond: bigint }>(chain.addr.ledger, contributionLedgerAbi, "getDispute", [epoch, 0n]);
    expect(d.bond).toBe(BOND);
    await expectRevert(ledger(mallory, "settleDispute", [epoch, 0n]), "DisputePending");
    await expectRevert(book.post({ total: 0n }), "PreviousEpochNotFinal");
    // The resolver stays silent past the deadline.
    await chain.increaseTime(Number(d.resolveBy - (await chain.now())) + 1);
    await expectRevert(ledger(resolver, "resolveDispute", [epoch, 0n, false]), "DisputeExpired");
    await ledger(mallory, "settleDispute", [epoch, 0n]);
    expect(await epochStatus(epoch)).toBe(4); // Invalid
    expect((await node(id)).locked).toBe(false);
    expect(await balance(carol)).toBe(parseEther("500")); // bond returned
    // Emission goes on: the next root re-declares the invalid epoch's total and pays it.
    await book.postAndFinalize({ total: parseEther("10") });
    await book.claim(alice);
    expect(await balance(alice)).toBe(parseEther("10"));
    // Governance (only) tunes the bond and the stake a disputer needs.
    await expectRevert(ledger(mallory, "setDisputeParams", [0n, 0n]), "AccessControlUnauthorizedAccount");
    await ledger(chain.deployment.roles.admin, "setDisputeParams", [BOND * 2n, MIN_DISPUTE_STAKE * 2n]);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "disputeBond")).toBe(BOND * 2n);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "minDisputeStake")).toBe(MIN_DISPUTE_STAKE * 2n);
  });

  it("item 5: the beneficiary's decoy dispute, rejected, does not finalise the bad root nor lock out the honest watchtower", async () => {
    const book = new RewardsBook(chain);
    await fund(chain, book, [carol, mallory], parseEther("1000"));
    const honest = await watchtower(carol);
    const decoy = await watchtower(mallory);
    // A bad root: total 0, a 5,000 CXT leaf for mallory.
    book.credit(mallory, parseEther("5000"));
    const { epoch } = await book.post({ total: 0n });
    // mallory disputes first with junk evidence, and the resolver rightly rejects it at once.
    await ledger(mallory, "dispute", [epoch, decoy, keccak256(toHex("junk"))]);
    await ledger(resolver, "resolveDispute", [epoch, 0n, false]);
    // v2 finalised the epoch here. Now it is back to Posted until its original deadline.
    expect(await epochStatus(epoch)).toBe(1);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "isClaimable", [epoch])).toBe(false);
    await expectRevert(book.claim(mallory, 0n, { epoch }), "NotLatestFinalEpoch");
    // The watchtower disputes within the window (two disputes could also stand side by side).
    await ledger(carol, "dispute", [epoch, honest, keccak256(toHex("leaves exceed total"))]);
    await approveBond(mallory);
    await ledger(mallory, "dispute", [epoch, decoy, keccak256(toHex("junk again"))]);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "disputeCount", [epoch])).toEqual([3n, 2n]);
    await ledger(resolver, "resolveDispute", [epoch, 1n, true]);
    expect(await epochStatus(epoch)).toBe(4);
    // The decoy left open on an invalid epoch is settled by anyone (its bond goes back: the epoch was bad).
    await ledger(bob, "settleDispute", [epoch, 2n]);
    await chain.increaseTime(WINDOW);
    await expectRevert(book.claim(mallory, 0n, { epoch }), "NotLatestFinalEpoch");
    expect(await balance(mallory)).toBe(parseEther("450")); // 1,000 − 500 staked − one burned bond
  });

  it("item 6: an invalidated epoch's allowance is not slack a later root can pay without declaring it", async () => {
    const book = new RewardsBook(chain);
    book.credit(alice, parseEther("9000")).credit(carol, parseEther("1000"));
    await book.postAndFinalize(); // epoch 1: 10,000
    await book.claim(alice);
    await book.claim(carol);
    const id = await watchtower(carol);
    book.credit(bob, parseEther("1000"));
    const { epoch: bad } = await book.post(); // epoch 2: 1,000, disputed and invalidated
    await ledger(carol, "dispute", [bad, id, keccak256(toHex("bob did no work"))]);
    await ledger(resolver, "resolveDispute", [bad, 0n, true]);
    // Epoch 3 declares 0 yet its tree keeps bob's 1,000 (and adds nothing): v2 left 1,000 of slack for it.
    const { epoch } = await book.postAndFinalize({ total: 0n });
    const e = await chain.read<{ allowanceThrough: bigint }>(chain.addr.ledger, contributionLedgerAbi, "getEpoch", [epoch]);
    expect(e.allowanceThrough).toBe(parseEther("10000")); // what valid epochs granted
    await expectRevert(book.claim(bob, 0n, { epoch }), "EmissionExceeded");
    expect(await balance(bob)).toBe(0n);
    // Re-declaring it is possible only within the cap plus the invalid total, in the open.
    await expectRevert(book.post({ total: CAP + parseEther("1") }), "EpochCapExceeded");
  });
});

describe("v3 item 8: epochs posted back to back to outrun the schedule", () => {
  it("a second epoch within minEpochInterval is refused; the schedule holds per unit of time", async () => {
    const g = await startChain({ challengeSeconds: WINDOW, minEpochIntervalSeconds: 3600 });
    try {
      expect(await g.read(g.addr.ledger, contributionLedgerAbi, "minEpochInterval")).toBe(3600n);
      const book = new RewardsBook(g);
      book.credit(alice, parseEther("1"));
      await book.postAndFinalize();
      book.credit(alice, parseEther("1"));
      await expectRevert(book.post(), "EpochTooSoon");
      await g.increaseTime(3600 - WINDOW);
      await book.post();
    } finally {
      await g.stop();
    }
  });
});

describe("v3 item 9: a stale cancel request kept to front-run a payout", () => {
  it("a request expires after its window, complete clears it, and the grace has a floor", async () => {
    await fund(chain, new RewardsBook(chain), [alice], parseEther("100"));
    await chain.tx(alice, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.tasks, parseEther("100")]);
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "createTask", [keccak256(toHex("job")), 4, parseEther("100"), 0, NO_PROVIDER, 0]);
    const grace = chain.deployment.config.cancelGraceSeconds;
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "cancelTask", [1n]);
    // The creator sits on the request, to cancel the instant the coordinator's payout shows up.
    await chain.increaseTime(2 * grace);
    expect(await chain.read(chain.addr.tasks, taskManagerAbi, "cancelPending", [1n])).toBe(false);
    await expectRevert(chain.tx(coordinator, chain.addr.tasks, taskManagerAbi, "settleCancel", [1n]), "CancelNotRequested");
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "cancelTask", [1n]); // only a new request
    const t = await chain.read<{ status: number; cancelRequestedAt: bigint }>(chain.addr.tasks, taskManagerAbi, "getTask", [1n]);
    expect(t.status).toBe(1); // still open
    await chain.tx(coordinator, chain.addr.tasks, taskManagerAbi, "complete", [1n, keccak256(toHex("model"))]);
    expect(await chain.read<{ cancelRequestedAt: bigint }>(chain.addr.tasks, taskManagerAbi, "getTask", [1n])).toMatchObject({ cancelRequestedAt: 0n, status: 2 });
    // A zero grace period does not deploy (outside chain 31337 the floor is an hour: see the deploy test).
    await expect(chain.deploy(taskManagerAbi, taskManagerBytecode, [chain.addr.token, chain.addr.ledger, coordinator, 0, coordinator, 0n])).rejects.toThrow(/deploy failed/);
  });
});

describe("v3 item 10: one early staker passing proposals; block-counted vote windows", () => {
  it("voting windows are seconds and the bootstrap quorum is out of one early staker's reach", async () => {
    const g = await startChain({ handOver: true, challengeSeconds: WINDOW, governance: { bootstrapQuorum: parseEther("10000") } });
    try {
      const [, voter] = g.accounts;
      await fund(g, new RewardsBook(g), [voter], parseEther("1000"));
      await g.tx(voter, g.addr.staking, stakingAbi, "registerNode", [0, "early"]);
      await g.tx(voter, g.addr.token, cxtTokenAbi, "approve", [g.addr.staking, parseEther("1000")]);
      await g.tx(voter, g.addr.staking, stakingAbi, "stake", [1n, parseEther("1000")]);
      const { corexGovernorAbi } = await import("@/contracts-abi/corex-governor");
      expect(await g.read(g.addr.governor, corexGovernorAbi, "CLOCK_MODE")).toBe("mode=timestamp");
      const targets = [g.addr.timelock];
      const calldatas = [encodeFunctionData({ abi: timelockAbi, functionName: "updateDelay", args: [1n] })];
      const description = "Cut the timelock delay to 1 s";
      const gov = (fn: string, args: readonly unknown[]) => g.tx(voter, g.addr.governor, corexGovernorAbi, fn, args);
      await gov("propose", [targets, [0n], calldatas, description]);
      const id = await g.read<bigint>(g.addr.governor, corexGovernorAbi, "hashProposal", [targets, [0n], calldatas, keccak256(toHex(description))]);
      const proposedAt = await g.now();
      expect(await g.read(g.addr.governor, corexGovernorAbi, "proposalSnapshot", [id])).toBe(proposedAt + BigInt(g.deployment.config.votingDelaySeconds));
      await g.increaseTime(g.deployment.config.votingDelaySeconds + 1);
      await gov("castVote", [id, 1]); // 100 % of the weight votes For…
      await g.increaseTime(g.deployment.config.votingPeriodSeconds + 1);
      expect(await g.read(g.addr.governor, corexGovernorAbi, "quorum", [proposedAt])).toBe(parseEther("10000"));
      expect(await g.read(g.addr.governor, corexGovernorAbi, "state", [id])).toBe(3); // …and it is Defeated
    } finally {
      await g.stop();
    }
  });
});

describe("v3 item 3: unsafe settings deployed to a real chain", () => {
  it("off chain 31337 the deploy refuses HAND_OVER=0, coordinator = deployer, short grace/interval and timelock < unbonding; the override is loud and the contracts still refuse", async () => {
    const live = await startAnvil({ chainId: 1338 });
    try {
      const client = createTestClient({ mode: "anvil", transport: http(live.rpcUrl) }).extend(publicActions);
      const key = generatePrivateKey();
      const deployer = privateKeyToAccount(key).address;
      await client.setBalance({ address: deployer, value: parseEther("100") });
      const fresh = () => privateKeyToAccount(generatePrivateKey()).address;
      const [res, slasher] = [fresh(), fresh()];
      const base = { rpcUrl: live.rpcUrl, deploymentsDir: null, privateKey: key, resolver: res, slasher };
      const unsafe = { ...base, handOver: false, cancelGraceSeconds: 60, minEpochIntervalSeconds: 60, governance: { timelockDelaySeconds: 3600 } };
      const msg = ((await deployAll(unsafe).catch((e: Error) => e)) as Error).message;
      expect(msg).toMatch(/HAND_OVER=0/);
      expect(msg).toMatch(/COORDINATOR_ADDRESS is the deployer/);
      expect(msg).toMatch(/cancel grace 60 s/);
      expect(msg).toMatch(/epoch interval 60 s/);
      expect(msg).toMatch(/timelock delay 3600 s is shorter than the unbonding period/);
      expect(msg).toMatch(/ALLOW_UNSAFE_DEPLOY=1/);
      const coord = fresh();
      await expect(deployAll({ ...base, coordinator: slasher })).rejects.toThrow(/SLASHER_ADDRESS .* is the coordinator/);
      expect(await client.getTransactionCount({ address: deployer })).toBe(0); // nothing was sent
      // The override prints every refusal loudly; the contracts' own floors still hold (the ledger's
      // minimum epoch interval reverts its constructor).
      const logs: string[] = [];
      await expect(deployAll({ ...unsafe, coordinator: coord, allowUnsafe: true, log: (s) => logs.push(s) })).rejects.toThrow();
      expect(await client.getTransactionCount({ address: deployer })).toBe(2); // token and Staking; the ledger reverted
      expect(logs[0]).toMatch(/^!{78}\nALLOW_UNSAFE_DEPLOY=1: deploying to chain 1338 DESPITE/);
    } finally {
      await live.stop();
    }
  });
});

describe("v3 item 11: events a mirror cannot trust", () => {
  it("EpochPosted carries allowanceThrough, Claimed reports only recorded work, Withdrawn the next release time", async () => {
    const book = new RewardsBook(chain);
    await fund(chain, book, [alice], parseEther("1000"));
    const posted = await chain.client.getContractEvents({ address: chain.addr.ledger, abi: contributionLedgerAbi, eventName: "EpochPosted", fromBlock: 0n });
    const e1 = await chain.read<{ allowanceThrough: bigint }>(chain.addr.ledger, contributionLedgerAbi, "getEpoch", [1n]);
    expect(posted[0].args.allowanceThrough).toBe(e1.allowanceThrough);
    // Work on a deactivated node is not recorded, and the event says so.
    const id = await stakedNode(alice, parseEther("1000"));
    await staking(alice, "deactivateNode", [id]);
    book.credit(alice, parseEther("1"), id, 10n ** 13n);
    await book.postAndFinalize();
    const r = await book.claim(alice, id);
    const claimed = await chain.client.getContractEvents({ address: chain.addr.ledger, abi: contributionLedgerAbi, eventName: "Claimed", blockHash: r.blockHash });
    expect(claimed[0].args).toMatchObject({ workUnits: 0n, cumulativeWorkUnits: 10n ** 13n });
    // Two tranches: withdrawing the first reports when the second releases.
    await staking(alice, "requestUnstake", [id, parseEther("100")]);
    await chain.increaseTime(10);
    await staking(alice, "requestUnstake", [id, parseEther("100")]);
    const tranches = await chain.read<{ releaseAt: bigint }[]>(chain.addr.staking, stakingAbi, "tranchesOf", [id]);
    await chain.increaseTime(UNBONDING - 5);
    const w = await staking(alice, "withdraw", [id]);
    const withdrawn = await chain.client.getContractEvents({ address: chain.addr.staking, abi: stakingAbi, eventName: "Withdrawn", blockHash: w.blockHash });
    expect(withdrawn[0].args).toMatchObject({ amount: parseEther("100"), nextReleaseAt: tranches[1].releaseAt });
  });
});

describe("v3 item 2 (finding F10): the coordinator paying task escrow to itself", () => {
  const spec = keccak256(toHex("job: iris"));
  const reader: Reader = (address, abi, functionName, args = [], blockNumber) =>
    chain.client.readContract({ address, abi, functionName, args, blockNumber } as never) as never;
  /** bob's one accepted compute result on fragment f0 of the job of task 1 (1 of its 4 fragments). */
  const bobsWork: CredentialLeafInput[] = [
    { id: "c1", epoch: 2n, nodeId: 0n, owner: "", jobId: "job-1", fragmentId: "f0", resultHash: keccak256(toHex("delta")), workUnits: 1_000n, role: "compute" },
  ];
  const facts = () => ({ taskManager: chain.addr.tasks, jobs: { "job-1": "1" } });

  it("the coordinator key tries every path to move a task's escrow to itself: no function lets it, and its own fee leaf is caught and invalidated", async () => {
    bobsWork[0]!.owner = bob.toLowerCase();
    const book = new RewardsBook(chain);
    await fund(chain, book, [alice, carol], parseEther("1000"));
    const watch = await stakedNode(carol, parseEther("500"));
    await approveBond(carol);
    await chain.tx(alice, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.tasks, parseEther("100")]);
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "createTask", [spec, 4, parseEther("100"), 0, NO_PROVIDER, 0]);
    const escrow = () => balance(chain.addr.tasks);
    const coordinatorBefore = await balance(coordinator);

    // 1. No push payment is left: every state-changing function of TaskManager, and the v2 payout entry points are gone.
    const writes = (taskManagerAbi as readonly { type: string; stateMutability?: string; name?: string }[]).filter((i) => i.type === "function" && i.stateMutability !== "view" && i.stateMutability !== "pure").map((i) => (i as { name: string }).name).sort();
    expect(writes).toEqual([
      "acceptDefaultAdminTransfer", "beginDefaultAdminTransfer", "cancelDefaultAdminTransfer", "cancelTask", "changeDefaultAdminDelay", "claimFee", "claimRefund", "complete",
      "createTask", "grantRole", "renounceRole", "revokeRole", "rollbackDefaultAdminDelay", "settleCancel",
    ]);
    for (const [sig, args] of [
      ["function pay(uint256,address[],uint256[])", [1n, [coordinator], [parseEther("100")]]],
      ["function complete(uint256,bytes32,address[],uint256[])", [1n, spec, [coordinator], [parseEther("100")]]],
      ["function settleCancel(uint256,address[],uint256[])", [1n, [coordinator], [parseEther("100")]]],
    ] as const) {
      const data = encodeFunctionData({ abi: [parseAbiItem(sig)], args: args as never });
      await expect(chain.client.call({ account: coordinator, to: chain.addr.tasks, data })).rejects.toThrow();
    }
    // 2. Closing the task (its only COORDINATOR_ROLE powers) moves nothing.
    await chain.tx(coordinator, chain.addr.tasks, taskManagerAbi, "complete", [1n, keccak256(toHex("model"))]);
    expect(await escrow()).toBe(parseEther("100"));
    // 3. A claim needs the leaf in the latest FINAL root: a proof the coordinator makes up for itself fails,
    // and a refund leaf pays only the creator.
    const forged = feesTree([["fee", "1", coordinator, parseEther("100").toString()], ["refund", "1", coordinator, parseEther("100").toString()]])!;
    const finalRewards = book.trees.get(book.epoch)!.root;
    await expectRevert(chain.tx(coordinator, chain.addr.tasks, taskManagerAbi, "claimFee", [book.epoch, 1n, coordinator, parseEther("100"), epochProof(forged.getProof(0), finalRewards)]), "InvalidProof");
    // claimRefund names no account (it pays the task's creator), and needs an epoch posted after the close.
    await expectRevert(chain.tx(coordinator, chain.addr.tasks, taskManagerAbi, "claimRefund", [book.epoch, 1n, parseEther("100"), epochProof(forged.getProof(1), finalRewards)]), "RefundNotCovered");
    // 4. As the oracle it posts a root whose fee leaf pays itself the whole escrow. The watchtower's fee
    // check (verify-epoch's checkFees, which resolve-dispute runs too) recomputes the leaves from bob's
    // accepted work and the task read from TaskManager, and flags it; the honest leaves pass it.
    book.fee(1n, coordinator, parseEther("100"));
    const { epoch } = await book.post({ total: 0n });
    const closeBlock = await chain.client.getBlockNumber({ cacheTime: 0 });
    const published = [...book.feeTrees.get(epoch)!.entries()].map(([, v]) => v as FeeLeaf);
    const caught = await checkFees(reader, chain.addr.ledger, facts(), bobsWork, [], published, closeBlock);
    expect(caught.problems).toContain(`fee leaf fee:1:${coordinator.toLowerCase()} = ${parseEther("100")}: the rule gives this account nothing (no accepted work, not the provider, not a closed task's creator)`);
    expect(caught.leaves).toEqual([["fee", "1", bob.toLowerCase(), parseEther("25").toString()], ["refund", "1", alice.toLowerCase(), parseEther("75").toString()]]);
    expect((await checkFees(reader, chain.addr.ledger, facts(), bobsWork, [], caught.leaves, closeBlock)).problems).toEqual([]);
    // The watchtower disputes within the window, the resolver (never the oracle) upholds: the leaf never pays.
    await ledger(carol, "dispute", [epoch, watch, keccak256(toHex(caught.problems.join("\n")))]);
    await ledger(resolver, "resolveDispute", [epoch, 0n, true]);
    await chain.increaseTime(WINDOW);
    await expectRevert(chain.tx(coordinator, chain.addr.tasks, taskManagerAbi, "claimFee", book.feeClaimArgs(1n, coordinator)), "NotLatestFinalEpoch");
    expect(await escrow()).toBe(parseEther("100"));
    // 5. The next, honest root pays bob for his work and alice her refund; the coordinator got nothing.
    book.dropFee(1n, coordinator).fee(1n, bob, parseEther("25")).fee(1n, alice, parseEther("75"), "refund");
    await book.postAndFinalize({ total: 0n });
    await chain.tx(bob, chain.addr.tasks, taskManagerAbi, "claimFee", book.feeClaimArgs(1n, bob));
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "claimRefund", book.refundClaimArgs(1n, alice));
    expect(await escrow()).toBe(0n);
    expect(await balance(bob)).toBe(parseEther("25"));
    expect(await balance(coordinator)).toBe(coordinatorBefore);
  });

  it("verify-epoch catches a fee leaf to an account that did no accepted work, a provider share above the task's, and a refund of an open task", async () => {
    bobsWork[0]!.owner = bob.toLowerCase();
    const book = new RewardsBook(chain);
    await fund(chain, book, [alice], parseEther("1000"));
    await chain.tx(alice, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.tasks, parseEther("100")]);
    await chain.tx(alice, chain.addr.tasks, taskManagerAbi, "createTask", [spec, 4, parseEther("100"), 0, carol, 1_000]);
    const closeBlock = await chain.client.getBlockNumber({ cacheTime: 0 });
    const honest = await checkFees(reader, chain.addr.ledger, facts(), bobsWork, [], [], closeBlock);
    // 25 CXT for one of four fragments: 10 % to the dataset provider, the rest to bob; no refund (open).
    expect(honest.leaves).toEqual([["fee", "1", bob.toLowerCase(), parseEther("22.5").toString()], ["fee", "1", carol.toLowerCase(), parseEther("2.5").toString()]]);
    const check = async (leaves: FeeLeaf[]) => (await checkFees(reader, chain.addr.ledger, facts(), bobsWork, [], leaves, closeBlock)).problems;
    expect(await check(honest.leaves)).toEqual([]);
    expect((await check([...honest.leaves, ["fee", "1", mallory.toLowerCase(), "1"]]))[0]).toMatch(/^fee leaf fee:1:0x[0-9a-f]{40} = 1: the rule gives this account nothing/);
    expect(await check([honest.leaves[0]!, ["fee", "1", carol.toLowerCase(), parseEther("5").toString()]])).toEqual([`fee leaf fee:1:${carol.toLowerCase()}: published ${parseEther("5")}, recomputed ${parseEther("2.5")}`]);
    expect((await check([...honest.leaves, ["refund", "1", alice.toLowerCase(), parseEther("75").toString()]]))[0]).toMatch(/^fee leaf refund:1:.* the rule gives this account nothing/);
    // Facts the coordinator publishes are checked against the chain at the close block.
    const lying = await checkFees(reader, chain.addr.ledger, { ...facts(), tasks: { "1": { fee: parseEther("1000").toString(), fragmentCount: 4, creator: alice, provider: carol, providerFeeBps: 1_000, closed: false } } }, bobsWork, [], honest.leaves, closeBlock);
    expect(lying.problems).toEqual(["task 1: the published facts differ from TaskManager at the close block"]);
  });
});
