import { decodeEventLog, keccak256, parseEther, toHex, type Address, type Hex, type TransactionReceipt } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { hookTokenAbi, hookTokenBytecode } from "@/contracts-abi/mocks/hook-token";
import { reentrantAttackerAbi, reentrantAttackerBytecode } from "@/contracts-abi/mocks/reentrant-attacker";
import { stakingAbi, stakingBytecode } from "@/contracts-abi/staking";
import { taskManagerAbi, taskManagerBytecode } from "@/contracts-abi/task-manager";
import { epochRootStubAbi, epochRootStubBytecode } from "@/contracts-abi/mocks/epoch-root-stub";
import { epochProof, epochRoot, feesTree, type FeeLeaf } from "@/lib/epochs/rules";
import { expectRevert, fund, RewardsBook, snapshotter, startChain, type Chain } from "./helpers";

let chain: Chain;
const snap = snapshotter(() => chain);
let admin: Address, alice: Address, bob: Address, carol: Address, mallory: Address;
let funded: RewardsBook;
let book: RewardsBook;
const ZERO = "0x0000000000000000000000000000000000000000";
const spec = keccak256(toHex("job: mnist mlp"));

beforeAll(async () => {
  chain = await startChain({ challengeSeconds: 10 });
  [admin, alice, bob, carol, mallory] = chain.accounts;
  funded = new RewardsBook(chain);
  await fund(chain, funded, [alice, mallory], parseEther("10000"));
  for (const a of [alice, mallory]) await chain.tx(a, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.tasks, 2n ** 255n]);
});
afterAll(() => chain?.stop());
beforeEach(async () => {
  await snap.take();
  book = funded.copy();
});
afterEach(() => snap.revert());

const tasks = (from: Address, fn: string, args: readonly unknown[]) => chain.tx(from, chain.addr.tasks, taskManagerAbi, fn, args);
const balance = (a: Address, token = chain.addr.token) => chain.read<bigint>(token, cxtTokenAbi, "balanceOf", [a]);
const task = (id: bigint) =>
  chain.read<{ status: number; fee: bigint; paid: bigint; refunded: bigint; creator: Address; closedAt: bigint; provider: Address; providerFeeBps: number }>(chain.addr.tasks, taskManagerAbi, "getTask", [id]);

function events(r: TransactionReceipt, address = chain.addr.tasks) {
  return r.logs
    .filter((l) => l.address.toLowerCase() === address.toLowerCase())
    .map((l) => decodeEventLog({ abi: taskManagerAbi, data: l.data, topics: l.topics }));
}

describe("TaskManager", () => {
  it("creates a task, escrows the fee and emits every field (provider and its share included)", async () => {
    const r = await tasks(alice, "createTask", [spec, 40, parseEther("100"), 2, carol, 2_500]);
    expect(events(r)).toEqual([
      { eventName: "TaskCreated", args: { taskId: 1n, creator: alice, specHash: spec, fragmentCount: 40, fee: parseEther("100"), minTier: 2, provider: carol, providerFeeBps: 2_500 } },
    ]);
    expect(await balance(chain.addr.tasks)).toBe(parseEther("100"));
    expect(await task(1n)).toMatchObject({ status: 1, fee: parseEther("100"), paid: 0n, refunded: 0n, creator: alice, provider: carol, providerFeeBps: 2_500 });
    await tasks(bob, "createTask", [spec, 1, 0n, 0, ZERO, 0]); // a free task needs no tokens
    await expectRevert(tasks(alice, "createTask", [spec, 0, 0n, 0, ZERO, 0]), "InvalidFragmentCount");
    await expectRevert(tasks(alice, "createTask", [spec, 1, 0n, 4, ZERO, 0]), "InvalidMinTier");
    await expectRevert(tasks(alice, "createTask", [spec, 1, 0n, 0, carol, 3_001]), "InvalidProviderFee");
    await expectRevert(tasks(alice, "createTask", [spec, 1, 0n, 0, ZERO, 1]), "InvalidProviderFee");
    await expectRevert(tasks(bob, "createTask", [spec, 1, 1n, 0, ZERO, 0]), "ERC20InsufficientAllowance");
  });

  it("fee leaves of the latest final epoch pay each account once, cumulatively, never above the fee", async () => {
    await tasks(alice, "createTask", [spec, 4, parseEther("100"), 0, carol, 1_000]);
    book.fee(1n, bob, parseEther("27")).fee(1n, carol, parseEther("3"));
    await book.post();
    // In its challenge window the epoch is not final: nothing is claimable against it.
    await expectRevert(tasks(bob, "claimFee", book.feeClaimArgs(1n, bob)), "NotLatestFinalEpoch");
    await chain.increaseTime(chain.deployment.config.challengeSeconds);
    const r = await tasks(mallory, "claimFee", book.feeClaimArgs(1n, bob)); // anyone sends it; bob is paid
    expect(events(r)).toEqual([{ eventName: "FeeClaimed", args: { taskId: 1n, account: bob, epoch: book.epoch, amount: parseEther("27"), cumulativeFee: parseEther("27"), taskPaid: parseEther("27") } }]);
    expect(await balance(bob)).toBe(parseEther("27"));
    await expectRevert(tasks(bob, "claimFee", book.feeClaimArgs(1n, bob)), "NothingToClaim");
    // A leaf of another account, amount or task does not verify.
    const [e, t, , amount, proof] = book.feeClaimArgs(1n, bob);
    await expectRevert(tasks(mallory, "claimFee", [e, t, mallory, amount, proof]), "InvalidProof");
    await expectRevert(tasks(bob, "claimFee", [e, t, bob, amount + 1n, proof]), "InvalidProof");
    await expectRevert(tasks(bob, "claimFee", [e, 2n, bob, amount, proof]), "UnknownTask");
    // The next epoch raises bob's cumulative fee: the claim pays the difference.
    book.fee(1n, bob, parseEther("54"));
    await book.postAndFinalize();
    await tasks(bob, "claimFee", book.feeClaimArgs(1n, bob));
    expect(await balance(bob)).toBe(parseEther("54"));
    expect(await chain.read(chain.addr.tasks, taskManagerAbi, "feePaidTo", [1n, bob])).toBe(parseEther("54"));
    // An older epoch's proof is refused once a later one is final.
    await expectRevert(tasks(carol, "claimFee", book.feeClaimArgs(1n, carol, book.epoch - 1n)), "NotLatestFinalEpoch");
    await tasks(carol, "claimFee", book.feeClaimArgs(1n, carol));
    // A root promising more than the escrow holds pays the escrow, never more.
    book.fee(1n, mallory, parseEther("44"));
    await book.postAndFinalize();
    await expectRevert(tasks(mallory, "claimFee", book.feeClaimArgs(1n, mallory)), "FeeExceeded");
    expect((await task(1n)).paid).toBe(parseEther("57"));
  });

  it("the refund leaf pays the creator of a closed task, only from an epoch posted after the close", async () => {
    await tasks(alice, "createTask", [spec, 4, parseEther("100"), 0, ZERO, 0]);
    book.fee(1n, bob, parseEther("30")).fee(1n, alice, parseEther("70"), "refund");
    await book.postAndFinalize();
    await expectRevert(tasks(alice, "claimRefund", book.refundClaimArgs(1n, alice)), "TaskNotClosed");
    await tasks(admin, "complete", [1n, keccak256(toHex("model"))]);
    // This epoch was posted before the close: it cannot refund.
    await expectRevert(tasks(alice, "claimRefund", book.refundClaimArgs(1n, alice)), "RefundNotCovered");
    await book.postAndFinalize();
    const before = await balance(alice);
    const r = await tasks(bob, "claimRefund", book.refundClaimArgs(1n, alice)); // sent by anyone, paid to the creator
    expect(events(r)).toEqual([{ eventName: "RefundClaimed", args: { taskId: 1n, creator: alice, epoch: book.epoch, amount: parseEther("70"), taskPaid: parseEther("70") } }]);
    expect(await balance(alice)).toBe(before + parseEther("70"));
    await expectRevert(tasks(alice, "claimRefund", book.refundClaimArgs(1n, alice)), "NothingToClaim");
    await tasks(bob, "claimFee", book.feeClaimArgs(1n, bob));
    expect(await balance(chain.addr.tasks)).toBe(0n);
    expect(await task(1n)).toMatchObject({ paid: parseEther("30"), refunded: parseEther("70") });
  });

  it("cancel closes the task (creator only, once) and moves no money; the refund follows through the root", async () => {
    await tasks(alice, "createTask", [spec, 4, parseEther("100"), 0, ZERO, 0]);
    const before = await balance(alice);
    await expectRevert(tasks(bob, "cancelTask", [1n]), "NotCreator");
    // With escrow left, the first call only requests; the creator finishes alone after the grace period.
    const req = await tasks(alice, "cancelTask", [1n]);
    const grace = chain.deployment.config.cancelGraceSeconds;
    expect(events(req)).toEqual([{ eventName: "CancelRequested", args: { taskId: 1n, reclaimableAt: (await chain.now()) + BigInt(grace) } }]);
    await expectRevert(tasks(alice, "cancelTask", [1n]), "CancelPending");
    await chain.increaseTime(grace);
    const r = await tasks(alice, "cancelTask", [1n]);
    expect(events(r)).toEqual([{ eventName: "TaskCancelled", args: { taskId: 1n } }]);
    expect(await balance(alice)).toBe(before);
    expect((await task(1n)).closedAt).toBe(await chain.now());
    await expectRevert(tasks(alice, "cancelTask", [1n]), "TaskNotOpen");
    await expectRevert(tasks(alice, "cancelTask", [9n]), "UnknownTask");
    book.fee(1n, bob, parseEther("30")).fee(1n, alice, parseEther("70"), "refund");
    await book.postAndFinalize();
    await tasks(alice, "claimRefund", book.refundClaimArgs(1n, alice));
    await tasks(bob, "claimFee", book.feeClaimArgs(1n, bob));
    expect(await balance(alice)).toBe(before + parseEther("70"));
    expect(await balance(chain.addr.tasks)).toBe(0n);
  });

  it("complete and settleCancel only close a task; coordinator only", async () => {
    await tasks(alice, "createTask", [spec, 4, parseEther("100"), 0, ZERO, 0]);
    await tasks(mallory, "createTask", [spec, 4, parseEther("50"), 0, ZERO, 0]);
    const result = keccak256(toHex("model"));
    await expectRevert(tasks(alice, "complete", [1n, result]), "AccessControlUnauthorizedAccount");
    const r = await tasks(admin, "complete", [1n, result]);
    expect(events(r)).toEqual([{ eventName: "TaskCompleted", args: { taskId: 1n, resultHash: result } }]);
    expect(await balance(chain.addr.tasks)).toBe(parseEther("150"));
    await expectRevert(tasks(admin, "complete", [1n, result]), "TaskNotOpen");
    await expectRevert(tasks(alice, "cancelTask", [1n]), "TaskNotOpen");
    await expectRevert(tasks(admin, "settleCancel", [2n]), "CancelNotRequested");
    await tasks(mallory, "cancelTask", [2n]);
    await expectRevert(tasks(mallory, "settleCancel", [2n]), "AccessControlUnauthorizedAccount");
    expect(events(await tasks(admin, "settleCancel", [2n]))).toEqual([{ eventName: "TaskCancelled", args: { taskId: 2n } }]);
    expect(await balance(chain.addr.tasks)).toBe(parseEther("150"));
  });

  it("only the admin grants the coordinator role", async () => {
    const role = await chain.read<Hex>(chain.addr.tasks, taskManagerAbi, "COORDINATOR_ROLE");
    await expectRevert(tasks(mallory, "grantRole", [role, mallory]), "AccessControlUnauthorizedAccount");
    await tasks(admin, "grantRole", [role, carol]);
    await tasks(alice, "createTask", [spec, 1, parseEther("1"), 0, ZERO, 0]);
    await tasks(carol, "complete", [1n, spec]);
    expect((await task(1n)).status).toBe(2);
  });
});

describe("re-entrancy through a token with receive hooks", () => {
  // A TaskManager and a Staking over HookToken, which calls the recipient on every transfer: the
  // recipient (the attacker) gets control in the middle of a fee claim, refund or withdrawal. The
  // TaskManager reads its root from a stub the test sets (the real ledger mints CXT, not HookToken).
  let hook: Address, hookTasks: Address, hookStaking: Address, attacker: Address, stub: Address;

  async function setup() {
    hook = await chain.deploy(hookTokenAbi, hookTokenBytecode);
    stub = await chain.deploy(epochRootStubAbi, epochRootStubBytecode);
    hookTasks = await chain.deploy(taskManagerAbi, taskManagerBytecode, [hook, stub, admin, 0, admin, 100n]);
    hookStaking = await chain.deploy(stakingAbi, stakingBytecode, [hook, 100n, admin, 0, admin, ZERO, 0n]);
    attacker = await chain.deploy(reentrantAttackerAbi, reentrantAttackerBytecode, [hook, hookTasks, hookStaking], mallory);
    await chain.tx(admin, hook, hookTokenAbi, "mint", [attacker, parseEther("100")]);
    await chain.tx(admin, hook, hookTokenAbi, "mint", [alice, parseEther("1000")]);
    // An honest user's escrow and stake: what a re-entrancy would try to steal.
    await chain.tx(alice, hook, hookTokenAbi, "approve", [hookTasks, parseEther("1000")]);
    await chain.tx(alice, hookTasks, taskManagerAbi, "createTask", [spec, 1, parseEther("500"), 0, ZERO, 0]);
    await chain.tx(alice, hook, hookTokenAbi, "approve", [hookStaking, parseEther("500")]);
    await chain.tx(alice, hookStaking, stakingAbi, "registerNode", [0, "honest"]);
    await chain.tx(alice, hookStaking, stakingAbi, "stake", [1n, parseEther("500")]);
  }
  /** Sets the stub's final root to a fee tree of `leaves` (next to a one-leaf reward tree) and returns the proofs. */
  async function root(leaves: FeeLeaf[]) {
    const fees = feesTree(leaves)!;
    const rewardsRoot = keccak256(toHex("rewards"));
    await chain.tx(admin, stub, epochRootStubAbi, "set", [7n, epochRoot(rewardsRoot, fees.root), (await chain.now()) + 1n]);
    return (i: number) => epochProof(fees.getProof(i), rewardsRoot);
  }
  // Explicit gas: an estimate would find the least gas at which the swallowed re-entry runs out of gas.
  const atk = (fn: string, args: readonly unknown[] = []) =>
    chain.tx(mallory, attacker, reentrantAttackerAbi, fn, args, { gas: 3_000_000n });
  const counters = async () => [
    await chain.read<bigint>(attacker, reentrantAttackerAbi, "attempts"),
    await chain.read<bigint>(attacker, reentrantAttackerAbi, "successes"),
  ];

  it("claiming the same fee again from the payout hook gets nothing", async () => {
    await setup();
    const proofs = await root([["fee", "1", attacker, parseEther("40").toString()], ["fee", "1", alice, parseEther("60").toString()]]);
    await atk("setAttack", [4, 1n]); // ClaimFeeAgain on task 1
    await atk("setClaim", [7n, parseEther("40"), proofs(0)]);
    await atk("claimFee");
    expect(await counters()).toEqual([1n, 0n]);
    expect(await balance(attacker, hook)).toBe(parseEther("140"));
    expect(await balance(hookTasks, hook)).toBe(parseEther("460"));
  });

  it("claiming the refund again from the refund hook gets nothing", async () => {
    await setup();
    await atk("createTask", [parseEther("100")]); // task 2, the attacker's own
    await atk("cancelTask", [2n]); // requests the cancellation
    await chain.increaseTime(101);
    await atk("cancelTask", [2n]);
    const proofs = await root([["refund", "2", attacker, parseEther("100").toString()], ["fee", "1", alice, parseEther("1").toString()]]);
    await atk("setAttack", [5, 2n]); // ClaimRefundAgain on task 2
    await atk("setClaim", [7n, parseEther("100"), proofs(0)]);
    await atk("claimRefund");
    expect(await counters()).toEqual([1n, 0n]);
    expect(await balance(attacker, hook)).toBe(parseEther("100"));
    expect(await balance(hookTasks, hook)).toBe(parseEther("500"));
  });

  it("withdrawing again from the withdrawal hook gets nothing", async () => {
    await setup();
    await atk("registerAndStake", [parseEther("100")]);
    await atk("requestUnstake", [2n, parseEther("100")]);
    await chain.increaseTime(101);
    await atk("setAttack", [3, 2n]); // WithdrawAgain node 2
    await atk("withdraw", [2n]);
    expect(await counters()).toEqual([1n, 0n]);
    expect(await balance(attacker, hook)).toBe(parseEther("100"));
    expect(await balance(hookStaking, hook)).toBe(parseEther("500"));
    expect(await chain.read(hookStaking, stakingAbi, "totalStaked")).toBe(parseEther("500"));
  });
});
