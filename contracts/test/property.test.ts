/**
 * Property test: random sequences of stake / requestUnstake / withdraw / slash / claim / time travel,
 * checked after every step against a TypeScript model of the accounting.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import fc from "fast-check";
import { keccak256, parseEther, toHex, type Abi, type Address, type Hex } from "viem";
import { afterAll, beforeAll, expect, it } from "vitest";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { startChain, type Chain } from "./helpers";

const UNBONDING = 500n;
const WINDOW = 50n;
const BPS = 10_000n;
const STAKE_T = [0n, parseEther("1000"), parseEther("10000"), parseEther("100000")];
const WORK_T = [0n, 10n ** 11n, 10n ** 13n, 10n ** 15n];

function tierOf(stake: bigint, work: bigint): number {
  for (let t = 3; t > 0; t--) if (stake >= STAKE_T[t] && work >= WORK_T[t]) return t;
  return 0;
}

type NodeModel = { stake: bigint; unbonding: bigint; tranches: { amount: bigint; releaseAt: bigint }[]; work: bigint; slashCount: number; lastSlashEpoch: bigint };
const MAX_PENDING_TRANCHES = 16;
type Model = {
  time: bigint;
  epoch: bigint;
  balances: bigint[];
  nodes: NodeModel[];
  cumulative: { amount: bigint; work: bigint }[];
  claimed: { amount: bigint; work: bigint }[];
  minted: bigint;
  burned: bigint;
  /** Slashed CXT held by Staking until its appeal period ends (never burned within a run here). */
  escrowed: bigint;
};

type Action =
  | { kind: "stake"; who: number; permille: number }
  | { kind: "unstake"; who: number; permille: number }
  | { kind: "withdraw"; who: number }
  | { kind: "slash"; who: number; bps: number }
  | { kind: "claim"; who: number; amount: bigint; work: bigint }
  | { kind: "time"; seconds: bigint };

const who = fc.integer({ min: 0, max: 2 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("stake" as const), who, permille: fc.integer({ min: 0, max: 1200 }) }),
  fc.record({ kind: fc.constant("unstake" as const), who, permille: fc.integer({ min: 0, max: 1200 }) }),
  fc.record({ kind: fc.constant("withdraw" as const), who }),
  fc.record({ kind: fc.constant("slash" as const), who, bps: fc.integer({ min: 1, max: 1_500 }) }),
  fc.record({
    kind: fc.constant("claim" as const),
    who,
    amount: fc.bigInt({ min: 0n, max: parseEther("3000") }),
    work: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 2n * 10n ** 11n })),
  }),
  fc.record({ kind: fc.constant("time" as const), seconds: fc.bigInt({ min: 1n, max: 2n * UNBONDING }) }),
);

let chain: Chain;
let actors: Address[];
let slasher: Address;
let oracle: Address;
let baseTime: bigint;
let baseSnapshot: Hex;

beforeAll(async () => {
  chain = await startChain({ unbondingSeconds: Number(UNBONDING), challengeSeconds: Number(WINDOW) });
  oracle = chain.accounts[0];
  slasher = chain.deployment.roles.slasher;
  actors = chain.accounts.slice(1, 4);
  for (const a of actors) {
    await chain.tx(a, chain.addr.staking, stakingAbi, "registerNode", [0, "prop"]);
    await chain.tx(a, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.staking, 2n ** 255n]);
  }
  baseTime = (await chain.client.getBlock()).timestamp;
  baseSnapshot = await chain.client.snapshot();
});
afterAll(() => chain?.stop());

it("staking and ledger accounting match the model after every step", async () => {
  let time = 0n;
  // Every transaction is mined at a timestamp the model chose, so unbonding and challenge-window
  // boundaries are exact.
  async function send(from: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<boolean> {
    time += 1n;
    await chain.client.setNextBlockTimestamp({ timestamp: time });
    const hash = await chain.client.writeContract({ account: from, address: to, abi, functionName, args, gas: 2_000_000n } as never);
    const receipt = await chain.client.waitForTransactionReceipt({ hash });
    return receipt.status === "success";
  }

  async function check(m: Model) {
    const [supply, stakingBalance, totalStaked, totalUnbonding, minted] = await Promise.all([
      chain.read<bigint>(chain.addr.token, cxtTokenAbi, "totalSupply"),
      chain.read<bigint>(chain.addr.token, cxtTokenAbi, "balanceOf", [chain.addr.staking]),
      chain.read<bigint>(chain.addr.staking, stakingAbi, "totalStaked"),
      chain.read<bigint>(chain.addr.staking, stakingAbi, "totalUnbonding"),
      chain.read<bigint>(chain.addr.ledger, contributionLedgerAbi, "totalMinted"),
    ]);
    expect(minted).toBe(m.minted);
    expect(supply).toBe(m.minted - m.burned);
    const sumStake = m.nodes.reduce((s, n) => s + n.stake, 0n);
    const sumUnbonding = m.nodes.reduce((s, n) => s + n.unbonding, 0n);
    expect(totalStaked).toBe(sumStake);
    expect(totalUnbonding).toBe(sumUnbonding);
    expect(stakingBalance).toBe(sumStake + sumUnbonding + m.escrowed);
    expect(await chain.read(chain.addr.staking, stakingAbi, "totalEscrowed")).toBe(m.escrowed);
    for (let i = 0; i < actors.length; i++) {
      const n = await chain.read<{ stake: bigint; unbonding: bigint; workUnits: bigint; tier: number; slashCount: number }>(
        chain.addr.staking,
        stakingAbi,
        "getNode",
        [BigInt(i + 1)],
      );
      const e = m.nodes[i];
      expect({ stake: n.stake, unbonding: n.unbonding, work: n.workUnits, tier: n.tier, slashCount: n.slashCount }).toEqual({
        stake: e.stake,
        unbonding: e.unbonding,
        work: e.work,
        tier: tierOf(e.stake, e.work),
        slashCount: e.slashCount,
      });
      expect(await chain.read(chain.addr.token, cxtTokenAbi, "balanceOf", [actors[i]])).toBe(m.balances[i]);
      const weight = await chain.read<bigint>(chain.addr.staking, stakingAbi, "votingWeight", [BigInt(i + 1)]);
      expect(weight).toBe((e.stake * [10000n, 12500n, 15000n, 20000n][tierOf(e.stake, e.work)]) / BPS);
      // Governance weight: checkpointed per owner (one node each here), counted for the owner itself.
      expect(await chain.read(chain.addr.staking, stakingAbi, "getVotes", [actors[i]])).toBe(weight);
      const tranches = await chain.read<{ amount: bigint; releaseAt: bigint }[]>(chain.addr.staking, stakingAbi, "tranchesOf", [BigInt(i + 1)]);
      expect(tranches.map((t) => [t.amount, t.releaseAt])).toEqual(e.tranches.map((t) => [t.amount, t.releaseAt]));
    }
  }

  async function step(m: Model, a: Action) {
    const ok = (expected: boolean, got: boolean) => expect(got, JSON.stringify(a, (_, v) => (typeof v === "bigint" ? v.toString() : v))).toBe(expected);
    const nodeId = "who" in a ? BigInt(a.who + 1) : 0n;
    if (a.kind === "stake") {
      const n = m.nodes[a.who];
      const amount = (m.balances[a.who] * BigInt(a.permille)) / 1000n;
      const expected = amount > 0n && amount <= m.balances[a.who];
      ok(expected, await send(actors[a.who], chain.addr.staking, stakingAbi, "stake", [nodeId, amount]));
      if (expected) {
        n.stake += amount;
        m.balances[a.who] -= amount;
      }
    } else if (a.kind === "unstake") {
      const n = m.nodes[a.who];
      const amount = (n.stake * BigInt(a.permille)) / 1000n + (a.permille > 1000 ? 1n : 0n);
      const expected = amount > 0n && amount <= n.stake && n.tranches.length < MAX_PENDING_TRANCHES;
      ok(expected, await send(actors[a.who], chain.addr.staking, stakingAbi, "requestUnstake", [nodeId, amount]));
      if (expected) {
        n.stake -= amount;
        n.unbonding += amount;
        n.tranches.push({ amount, releaseAt: time + UNBONDING });
      }
    } else if (a.kind === "withdraw") {
      const n = m.nodes[a.who];
      // Each tranche has its own release time: a withdraw takes the released ones, the rest keep waiting.
      const released = n.tranches.filter((t) => t.releaseAt <= time + 1n);
      const expected = released.length > 0;
      ok(expected, await send(actors[a.who], chain.addr.staking, stakingAbi, "withdraw", [nodeId]));
      if (expected) {
        const amount = released.reduce((s, t) => s + t.amount, 0n);
        m.balances[a.who] += amount;
        n.unbonding -= amount;
        n.tranches = n.tranches.slice(released.length);
      }
    } else if (a.kind === "slash") {
      const n = m.nodes[a.who];
      // At most 10 % per slash and one slash per node per epoch (the one being accumulated).
      const expected = a.bps <= 1_000 && n.lastSlashEpoch !== m.epoch + 1n;
      ok(expected, await send(slasher, chain.addr.staking, stakingAbi, "slash", [nodeId, a.bps, keccak256(toHex("evidence"))]));
      if (!expected) return check(m);
      n.lastSlashEpoch = m.epoch + 1n;
      const fromStake = (n.stake * BigInt(a.bps)) / BPS;
      let fromUnbonding = 0n;
      for (const t of n.tranches) {
        const cut = (t.amount * BigInt(a.bps)) / BPS;
        t.amount -= cut;
        fromUnbonding += cut;
      }
      n.stake -= fromStake;
      n.unbonding -= fromUnbonding;
      if (n.unbonding === 0n) n.tranches = [];
      n.slashCount += 1;
      m.escrowed += fromStake + fromUnbonding;
    } else if (a.kind === "claim") {
      const c = m.cumulative[a.who];
      c.amount += a.amount;
      c.work += a.work;
      const values = actors.map((acc, i) => [acc, BigInt(i + 1), m.cumulative[i].amount, m.cumulative[i].work] as [Address, bigint, bigint, bigint]);
      const tree = StandardMerkleTree.of(values, ["address", "uint256", "uint256", "uint256"]);
      const total = values.reduce((s, v) => s + v[2], 0n) - m.cumulative.reduce((s, _c, i) => s + (i === a.who ? _c.amount - a.amount : _c.amount), 0n);
      m.epoch += 1n;
      const root = tree.root as Hex;
      ok(true, await send(oracle, chain.addr.ledger, contributionLedgerAbi, "postEpoch", [m.epoch, root, root, total, 0n, 0]));
      const postedAt = time;
      time = postedAt + WINDOW - 1n; // next tx lands exactly when the window closes
      const proof = tree.getProof(a.who) as Hex[];
      const expected = a.amount > 0n || a.work > 0n;
      ok(expected, await send(actors[a.who], chain.addr.ledger, contributionLedgerAbi, "claim", [m.epoch, actors[a.who], nodeId, c.amount, c.work, proof]));
      if (expected) {
        m.balances[a.who] += c.amount - m.claimed[a.who].amount;
        m.minted += c.amount - m.claimed[a.who].amount;
        m.nodes[a.who].work += c.work - m.claimed[a.who].work;
        m.claimed[a.who] = { ...c };
      }
    } else {
      time += a.seconds;
    }
    await check(m);
  }

  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), async (actions) => {
      await chain.client.revert({ id: baseSnapshot });
      baseSnapshot = await chain.client.snapshot();
      time = baseTime;
      const m: Model = {
        time: baseTime,
        epoch: 0n,
        balances: actors.map(() => 0n),
        nodes: actors.map(() => ({ stake: 0n, unbonding: 0n, tranches: [], work: 0n, slashCount: 0, lastSlashEpoch: 0n })),
        cumulative: actors.map(() => ({ amount: 0n, work: 0n })),
        claimed: actors.map(() => ({ amount: 0n, work: 0n })),
        minted: 0n,
        burned: 0n,
        escrowed: 0n,
      };
      // Start everyone with some CXT so staking actions have something to move.
      for (let i = 0; i < actors.length; i++) await step(m, { kind: "claim", who: i, amount: parseEther("2000"), work: 0n });
      for (const a of actions) await step(m, a);
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 20), endOnFailure: true },
  );
}, 150_000);
