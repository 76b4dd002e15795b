import { decodeEventLog, keccak256, parseEther, toHex, type Address, type Hex, type TransactionReceipt } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { hookTokenAbi, hookTokenBytecode } from "@/contracts-abi/mocks/hook-token";
import { reentrantAttackerAbi, reentrantAttackerBytecode } from "@/contracts-abi/mocks/reentrant-attacker";
import { stakingAbi, stakingBytecode } from "@/contracts-abi/staking";
import { taskManagerAbi, taskManagerBytecode } from "@/contracts-abi/task-manager";
import { expectRevert, fund, RewardsBook, snapshotter, startChain, type Chain } from "./helpers";

let chain: Chain;
const snap = snapshotter(() => chain);
let admin: Address, alice: Address, bob: Address, carol: Address, mallory: Address;
const spec = keccak256(toHex("job: mnist mlp"));

beforeAll(async () => {
  chain = await startChain({ challengeSeconds: 10 });
  [admin, alice, bob, carol, mallory] = chain.accounts;
  await fund(chain, new RewardsBook(chain), [alice, mallory], parseEther("10000"));
  for (const a of [alice, mallory]) await chain.tx(a, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.tasks, 2n ** 255n]);
});
afterAll(() => chain?.stop());
beforeEach(() => snap.take());
afterEach(() => snap.revert());

const tasks = (from: Address, fn: string, args: readonly unknown[]) => chain.tx(from, chain.addr.tasks, taskManagerAbi, fn, args);
const balance = (a: Address, token = chain.addr.token) => chain.read<bigint>(token, cxtTokenAbi, "balanceOf", [a]);
const task = (id: bigint) => chain.read<{ status: number; fee: bigint; paid: bigint; creator: Address }>(chain.addr.tasks, taskManagerAbi, "getTask", [id]);

function events(r: TransactionReceipt, address = chain.addr.tasks) {
  return r.logs
    .filter((l) => l.address.toLowerCase() === address.toLowerCase())
    .map((l) => decodeEventLog({ abi: taskManagerAbi, data: l.data, topics: l.topics }));
}

describe("TaskManager", () => {
  it("creates a task, escrows the fee and emits every field", async () => {
    const r = await tasks(alice, "createTask", [spec, 40, parseEther("100"), 2]);
    expect(events(r)).toEqual([
      { eventName: "TaskCreated", args: { taskId: 1n, creator: alice, specHash: spec, fragmentCount: 40, fee: parseEther("100"), minTier: 2 } },
    ]);
    expect(await balance(chain.addr.tasks)).toBe(parseEther("100"));
    expect(await task(1n)).toMatchObject({ status: 1, fee: parseEther("100"), paid: 0n, creator: alice });
    await tasks(bob, "createTask", [spec, 1, 0n, 0]); // a free task needs no tokens
    await expectRevert(tasks(alice, "createTask", [spec, 0, 0n, 0]), "InvalidFragmentCount");
    await expectRevert(tasks(alice, "createTask", [spec, 1, 0n, 4]), "InvalidMinTier");
    await expectRevert(tasks(bob, "createTask", [spec, 1, 1n, 0]), "ERC20InsufficientAllowance");
  });

  it("cancel refunds the unspent fee, creator only, once", async () => {
    await tasks(alice, "createTask", [spec, 4, parseEther("100"), 0]);
    const before = await balance(alice);
    await tasks(admin, "pay", [1n, [bob], [parseEther("30")]]);
    await expectRevert(tasks(bob, "cancelTask", [1n]), "NotCreator");
    // With escrow left, the first call only requests; the creator finishes alone after the grace period.
    const req = await tasks(alice, "cancelTask", [1n]);
    const grace = chain.deployment.config.cancelGraceSeconds;
    expect(events(req)).toEqual([{ eventName: "CancelRequested", args: { taskId: 1n, reclaimableAt: (await chain.now()) + BigInt(grace) } }]);
    await expectRevert(tasks(alice, "cancelTask", [1n]), "CancelPending");
    await chain.increaseTime(grace);
    const r = await tasks(alice, "cancelTask", [1n]);
    expect(events(r).map((e) => e.eventName)).toEqual(["TaskCancelled", "FeeRefunded"]);
    expect(await balance(alice)).toBe(before + parseEther("70"));
    expect(await balance(bob)).toBe(parseEther("30"));
    expect(await balance(chain.addr.tasks)).toBe(0n);
    await expectRevert(tasks(alice, "cancelTask", [1n]), "TaskNotOpen");
    await expectRevert(tasks(alice, "cancelTask", [9n]), "UnknownTask");
  });

  it("complete pays the contributors and refunds the rest; coordinator only; never more than the fee", async () => {
    await tasks(alice, "createTask", [spec, 4, parseEther("100"), 0]);
    await tasks(mallory, "createTask", [spec, 4, parseEther("50"), 0]);
    const result = keccak256(toHex("model"));
    await expectRevert(tasks(alice, "complete", [1n, result, [bob], [1n]]), "AccessControlUnauthorizedAccount");
    await expectRevert(tasks(admin, "complete", [1n, result, [bob], [parseEther("101")]]), "FeeExceeded");
    await expectRevert(tasks(admin, "complete", [1n, result, [bob, carol], [1n]]), "LengthMismatch");
    await tasks(admin, "pay", [1n, [bob], [parseEther("60")]]);
    await expectRevert(tasks(admin, "pay", [1n, [carol], [parseEther("41")]]), "FeeExceeded");
    const before = await balance(alice);
    const r = await tasks(admin, "complete", [1n, result, [bob, carol], [parseEther("10"), parseEther("20")]]);
    expect(events(r).map((e) => e.eventName)).toEqual(["FeePaid", "FeePaid", "TaskCompleted", "FeeRefunded"]);
    expect(await balance(bob)).toBe(parseEther("70"));
    expect(await balance(carol)).toBe(parseEther("20"));
    expect(await balance(alice)).toBe(before + parseEther("10"));
    // The other task's escrow is untouched.
    expect(await balance(chain.addr.tasks)).toBe(parseEther("50"));
    await expectRevert(tasks(admin, "complete", [1n, result, [], []]), "TaskNotOpen");
    await expectRevert(tasks(alice, "cancelTask", [1n]), "TaskNotOpen");
  });

  it("only the admin grants the coordinator role", async () => {
    const role = await chain.read<Hex>(chain.addr.tasks, taskManagerAbi, "COORDINATOR_ROLE");
    await expectRevert(tasks(mallory, "grantRole", [role, mallory]), "AccessControlUnauthorizedAccount");
    await tasks(admin, "grantRole", [role, carol]);
    await tasks(alice, "createTask", [spec, 1, parseEther("1"), 0]);
    await tasks(carol, "complete", [1n, spec, [carol], [parseEther("1")]]);
    expect(await balance(carol)).toBe(parseEther("1"));
  });
});

describe("re-entrancy through a token with receive hooks", () => {
  // A TaskManager and a Staking over HookToken, which calls the recipient on every transfer: the
  // recipient (the attacker) gets control in the middle of a payout, refund or withdrawal.
  let hook: Address, hookTasks: Address, hookStaking: Address, attacker: Address;

  async function setup() {
    hook = await chain.deploy(hookTokenAbi, hookTokenBytecode);
    hookTasks = await chain.deploy(taskManagerAbi, taskManagerBytecode, [hook, admin, 0, admin, 100n]);
    hookStaking = await chain.deploy(stakingAbi, stakingBytecode, [hook, 100n, admin, 0, admin, "0x0000000000000000000000000000000000000000", 0n]);
    attacker = await chain.deploy(reentrantAttackerAbi, reentrantAttackerBytecode, [hook, hookTasks, hookStaking], mallory);
    const role = await chain.read<Hex>(hookTasks, taskManagerAbi, "COORDINATOR_ROLE");
    await chain.tx(admin, hookTasks, taskManagerAbi, "grantRole", [role, admin]);
    await chain.tx(admin, hook, hookTokenAbi, "mint", [attacker, parseEther("100")]);
    await chain.tx(admin, hook, hookTokenAbi, "mint", [alice, parseEther("1000")]);
    // An honest user's escrow and stake: what a re-entrancy would try to steal.
    await chain.tx(alice, hook, hookTokenAbi, "approve", [hookTasks, parseEther("1000")]);
    await chain.tx(alice, hookTasks, taskManagerAbi, "createTask", [spec, 1, parseEther("500"), 0]);
    await chain.tx(alice, hook, hookTokenAbi, "approve", [hookStaking, parseEther("500")]);
    await chain.tx(alice, hookStaking, stakingAbi, "registerNode", [0, "honest"]);
    await chain.tx(alice, hookStaking, stakingAbi, "stake", [1n, parseEther("500")]);
  }
  // Explicit gas: an estimate would find the least gas at which the swallowed re-entry runs out of gas.
  const atk = (fn: string, args: readonly unknown[] = []) =>
    chain.tx(mallory, attacker, reentrantAttackerAbi, fn, args, { gas: 3_000_000n });
  const counters = async () => [
    await chain.read<bigint>(attacker, reentrantAttackerAbi, "attempts"),
    await chain.read<bigint>(attacker, reentrantAttackerAbi, "successes"),
  ];

  it("cancelling again from the refund hook gets nothing", async () => {
    await setup();
    await atk("createTask", [parseEther("100")]);
    await atk("cancelTask", [2n]); // requests the cancellation
    await chain.increaseTime(101);
    await atk("setAttack", [1, 2n]); // CancelAgain task 2
    await atk("cancelTask", [2n]);
    expect(await counters()).toEqual([1n, 0n]);
    expect(await balance(attacker, hook)).toBe(parseEther("100"));
    expect(await balance(hookTasks, hook)).toBe(parseEther("500"));
  });

  it("a creator paid by its own task cannot cancel it from the payout hook to be refunded twice", async () => {
    await setup();
    await atk("createTask", [parseEther("100")]);
    await atk("setAttack", [1, 2n]);
    await chain.tx(admin, hookTasks, taskManagerAbi, "complete", [2n, spec, [attacker], [parseEther("30")]], { gas: 3_000_000n });
    // Paid 30, refunded 70 as creator, once: back to 100. Alice's 500 escrow is intact.
    expect(await counters()).toEqual([2n, 0n]);
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
