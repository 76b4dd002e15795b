// A random but reproducible workload on the real contracts (anvil): nodes, stakes, unstakes,
// withdrawals, slashes, tasks with fees, epochs with Merkle claims of rewards and task fees, disputes, transfers,
// burns. Used by the indexer's integration tests and its benchmark. Valid actions are chosen from
// chain reads, so the workload never depends on the mirror it is checking.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  createTestClient,
  defineChain,
  getAddress,
  http,
  encodeFunctionData,
  keccak256,
  parseEther,
  publicActions,
  toHex,
  walletActions,
  type Abi,
  type Address,
} from "viem";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { corexGovernorAbi } from "@/contracts-abi/corex-governor";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { timelockControllerAbi } from "@/contracts-abi/timelock-controller";
import type { Deployment } from "@/lib/chain/deployment";
import { epochProof, epochRoot, feesTree, type FeeLeaf } from "@/lib/epochs/rules";
import { deployAll } from "@/scripts/contracts/deploy";

export const CHALLENGE_SECONDS = 30;
export const UNBONDING_SECONDS = 60;

export type ChainCtx = Awaited<ReturnType<typeof connectChain>>;

export async function connectChain(rpcUrl: string, chainId = 31337) {
  const chain = defineChain({
    id: chainId,
    name: "anvil",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const client = createTestClient({ chain, mode: "anvil", transport: http(rpcUrl), cacheTime: 0 })
    .extend(publicActions)
    .extend(walletActions);
  const accounts = (await client.getAddresses()).map((a) => getAddress(a));
  const deployment: Deployment = await deployAll({
    rpcUrl,
    deploymentsDir: null,
    challengeSeconds: CHALLENGE_SECONDS,
    unbondingSeconds: UNBONDING_SECONDS,
  });
  const c = deployment.contracts;
  const addr = {
    token: c.CXTToken.address,
    staking: c.Staking.address,
    ledger: c.ContributionLedger.address,
    tasks: c.TaskManager.address,
    timelock: c.TimelockController.address,
    governor: c.CorexGovernor.address,
  };
  const contracts = (Object.keys(c) as (keyof typeof c)[]).map((name) => ({ name, address: c[name].address, startBlock: c[name].blockNumber }));

  async function tx(from: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) {
    const hash = await client.writeContract({ account: from, address: to, abi, functionName, args, gas: 3_000_000n, chain } as never);
    const r = await client.waitForTransactionReceipt({ hash });
    if (r.status !== "success") throw new Error(`${functionName} reverted`);
    return r;
  }
  const read = <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address, abi, functionName, args }) as Promise<T>;
  const advance = async (seconds: number) => {
    await client.increaseTime({ seconds });
    await client.mine({ blocks: 1 });
  };
  return { rpcUrl, chainId, client, accounts, deployment, addr, contracts, tx, read, advance };
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
    big: (max: bigint) => (max <= 0n ? 0n : (BigInt(Math.floor(next() * 1e9)) * max) / 1_000_000_000n),
  };
}

type NodeView = { owner: Address; active: boolean; stake: bigint; unbonding: bigint; locked: boolean; trancheHead: number; trancheCount: number };
type TaskView = { creator: Address; status: number; fee: bigint; paid: bigint; cancelRequestedAt: bigint };
const MAX_PENDING_TRANCHES = 16;
type EpochView = { status: number; postedAt: bigint; total: bigint };

export class Workload {
  readonly r: ReturnType<typeof rng>;
  /** Cumulative rewards per `${account}|${nodeId}` and the epoch trees, for claims. */
  private cumulative = new Map<string, { account: Address; nodeId: bigint; amount: bigint; work: bigint }>();
  private trees = new Map<bigint, StandardMerkleTree<[string, string, string, string]>>();
  /** Cumulative task fee leaves per `${kind}|${taskId}|${account}` and each epoch's fee tree (null: none). */
  private fees = new Map<string, FeeLeaf>();
  private feeTrees = new Map<bigint, StandardMerkleTree<FeeLeaf> | null>();
  actions: Record<string, number> = {};
  private disputed = false;

  constructor(
    readonly ctx: ChainCtx,
    seed: number,
  ) {
    this.r = rng(seed);
  }

  /** Off-chain state of the workload, to restore alongside evm_snapshot / evm_revert. */
  saveState() {
    return { cumulative: new Map([...this.cumulative].map(([k, v]) => [k, { ...v }])), trees: new Map(this.trees), fees: new Map(this.fees), feeTrees: new Map(this.feeTrees) };
  }
  restoreState(s: ReturnType<Workload["saveState"]>) {
    this.cumulative = new Map([...s.cumulative].map(([k, v]) => [k, { ...v }]));
    this.trees = new Map(s.trees);
    this.fees = new Map(s.fees);
    this.feeTrees = new Map(s.feeTrees);
  }

  get actors() {
    return this.ctx.accounts.slice(1, 9);
  }
  get coordinator() {
    return this.ctx.accounts[0];
  }
  get resolver() {
    return this.ctx.deployment.roles.resolver;
  }

  /** Nodes for the first actors and a first epoch so everyone holds CXT. */
  async bootstrap() {
    for (const a of this.actors.slice(0, 5)) await this.registerNode(a);
    await this.postEpoch(true);
    await this.finalizeEpoch();
    await this.claimAll();
  }

  async run(steps: number) {
    for (let i = 0; i < steps; i++) await this.step();
  }

  async step() {
    const r = this.r;
    const kinds: [number, () => Promise<unknown>][] = [
      [20, () => this.transfer()],
      [4, () => this.approve()],
      [3, () => this.burn()],
      [3, () => this.registerNode(r.pick(this.actors))],
      [2, () => this.updateNode()],
      [1, () => this.deactivateNode()],
      [10, () => this.stake()],
      [5, () => this.unstake()],
      [3, () => this.withdraw()],
      [2, () => this.slash()],
      [6, () => this.createTask()],
      [4, () => this.claimFees()],
      [2, () => this.complete()],
      [2, () => this.cancel()],
      [3, () => this.epochRound()],
      [2, () => this.delegate()],
      [1, () => this.governanceRound()],
    ];
    const total = kinds.reduce((s, [w]) => s + w, 0);
    let x = r.next() * total;
    for (const [w, f] of kinds) {
      if ((x -= w) <= 0) {
        const name = f.toString().match(/this\.(\w+)/)?.[1] ?? "?";
        this.actions[name] = (this.actions[name] ?? 0) + 1;
        await f();
        return;
      }
    }
  }

  private balance = (a: Address) => this.ctx.read<bigint>(this.ctx.addr.token, cxtTokenAbi as Abi, "balanceOf", [a]);
  private nodeCount = async () => Number(await this.ctx.read<bigint>(this.ctx.addr.staking, stakingAbi as Abi, "nodeCount"));
  private node = (id: number) => this.ctx.read<NodeView>(this.ctx.addr.staking, stakingAbi as Abi, "getNode", [BigInt(id)]);
  private taskCount = async () => Number(await this.ctx.read<bigint>(this.ctx.addr.tasks, taskManagerAbi as Abi, "taskCount"));
  private task = (id: number) => this.ctx.read<TaskView>(this.ctx.addr.tasks, taskManagerAbi as Abi, "getTask", [BigInt(id)]);

  async transfer() {
    const from = this.r.pick(this.actors);
    const to = this.r.pick([...this.actors, this.ctx.accounts[9]]);
    const amount = this.r.big((await this.balance(from)) / 2n);
    await this.ctx.tx(from, this.ctx.addr.token, cxtTokenAbi as Abi, "transfer", [to, amount]);
  }

  async approve() {
    const from = this.r.pick(this.actors);
    await this.ctx.tx(from, this.ctx.addr.token, cxtTokenAbi as Abi, "approve", [this.r.pick(this.actors), parseEther(String(this.r.int(1, 1000)))]);
  }

  async burn() {
    const from = this.r.pick(this.actors);
    const amount = this.r.big((await this.balance(from)) / 10n);
    if (amount > 0n) await this.ctx.tx(from, this.ctx.addr.token, cxtTokenAbi as Abi, "burn", [amount]);
  }

  async registerNode(owner: Address) {
    await this.ctx.tx(owner, this.ctx.addr.staking, stakingAbi as Abi, "registerNode", [this.r.int(0, 3), `ipfs://node-${this.r.int(0, 1e6)}`]);
  }

  private async randomNode(filter: (n: NodeView) => boolean): Promise<[number, NodeView] | null> {
    const count = await this.nodeCount();
    const ids = Array.from({ length: count }, (_, i) => i + 1);
    const views = await Promise.all(ids.map((id) => this.node(id)));
    const ok = ids.map((id, i) => [id, views[i]] as [number, NodeView]).filter(([, n]) => filter(n));
    return ok.length ? this.r.pick(ok) : null;
  }

  async updateNode() {
    const n = await this.randomNode((v) => v.active);
    if (n) await this.ctx.tx(n[1].owner, this.ctx.addr.staking, stakingAbi as Abi, "updateNode", [BigInt(n[0]), this.r.int(0, 3), `https://n/${this.r.int(0, 1e6)}`]);
  }

  async deactivateNode() {
    const n = await this.randomNode((v) => v.active);
    if (n && (await this.nodeCount()) > 4) await this.ctx.tx(n[1].owner, this.ctx.addr.staking, stakingAbi as Abi, "deactivateNode", [BigInt(n[0])]);
  }

  async stake() {
    const n = await this.randomNode((v) => v.active);
    if (!n) return;
    const amount = this.r.big((await this.balance(n[1].owner)) / 2n);
    if (amount === 0n) return;
    await this.ctx.tx(n[1].owner, this.ctx.addr.token, cxtTokenAbi as Abi, "approve", [this.ctx.addr.staking, amount]);
    await this.ctx.tx(n[1].owner, this.ctx.addr.staking, stakingAbi as Abi, "stake", [BigInt(n[0]), amount]);
  }

  async unstake() {
    const n = await this.randomNode((v) => v.stake > 0n && !v.locked && v.trancheCount - v.trancheHead < MAX_PENDING_TRANCHES);
    if (!n) return;
    const amount = this.r.big(n[1].stake) || n[1].stake;
    await this.ctx.tx(n[1].owner, this.ctx.addr.staking, stakingAbi as Abi, "requestUnstake", [BigInt(n[0]), amount]);
  }

  async withdraw() {
    const n = await this.randomNode((v) => v.unbonding > 0n && !v.locked);
    if (!n) return;
    await this.ctx.advance(UNBONDING_SECONDS + 1);
    await this.ctx.tx(n[1].owner, this.ctx.addr.staking, stakingAbi as Abi, "withdraw", [BigInt(n[0])]);
  }

  async slash() {
    // The slasher is its own key (never the oracle); a node is slashed at most once per epoch, by at
    // most 10 %, and not while its own dispute is pending.
    const epoch = (await this.ctx.read<bigint>(this.ctx.addr.ledger, contributionLedgerAbi as Abi, "lastEpoch")) + 1n;
    const n = await this.randomNode((v) => !v.locked);
    if (!n || (await this.ctx.read<bigint>(this.ctx.addr.staking, stakingAbi as Abi, "lastSlashEpoch", [BigInt(n[0])])) === epoch) return;
    await this.ctx.tx(this.ctx.deployment.roles.slasher, this.ctx.addr.staking, stakingAbi as Abi, "slash", [BigInt(n[0]), this.r.int(1, 1000), keccak256(toHex(this.r.int(0, 1e9)))]);
  }

  async createTask() {
    const creator = this.r.pick(this.actors);
    const fee = this.r.big((await this.balance(creator)) / 4n);
    if (fee > 0n) await this.ctx.tx(creator, this.ctx.addr.token, cxtTokenAbi as Abi, "approve", [this.ctx.addr.tasks, fee]);
    // A third of the tasks name a dataset provider with a share (#24).
    const none = "0x0000000000000000000000000000000000000000";
    const provider = this.r.next() < 0.3 ? this.r.pick(this.actors) : none;
    const bps = provider === none ? 0 : this.r.int(0, 3000);
    await this.ctx.tx(creator, this.ctx.addr.tasks, taskManagerAbi as Abi, "createTask", [keccak256(toHex(`spec-${this.r.int(0, 1e9)}`)), this.r.int(1, 500), fee, this.r.int(0, 3), provider, bps]);
  }

  private async openTask(): Promise<[number, TaskView] | null> {
    const count = await this.taskCount();
    const ids = Array.from({ length: count }, (_, i) => i + 1);
    const views = await Promise.all(ids.map((id) => this.task(id)));
    const open = ids.map((id, i) => [id, views[i]] as [number, TaskView]).filter(([, t]) => t.status === 1);
    return open.length ? this.r.pick(open) : null;
  }

  /** Claims a random share of the task fee and refund leaves of the latest final epoch (anyone sends; TaskManager pays the leaf's account). */
  async claimFees() {
    await this.claimFeeLeaves(0.5);
  }

  async complete() {
    const t = await this.openTask();
    if (!t) return;
    await this.ctx.tx(this.coordinator, this.ctx.addr.tasks, taskManagerAbi as Abi, "complete", [BigInt(t[0]), keccak256(toHex(`result-${t[0]}`))]);
  }

  /** Creator requests (or, with no escrow left, cancels at once); a requested cancel is settled by the
   * coordinator or, after the grace period, finished by the creator. Either only closes the task. */
  async cancel() {
    const t = await this.openTask();
    if (!t) return;
    const [id, v] = [BigInt(t[0]), t[1]];
    // A request expires 2 × grace after it was made (v3): an expired one counts as none.
    const pending = await this.ctx.read<boolean>(this.ctx.addr.tasks, taskManagerAbi as Abi, "cancelPending", [id]);
    if (!pending || v.fee === v.paid) {
      await this.ctx.tx(v.creator, this.ctx.addr.tasks, taskManagerAbi as Abi, "cancelTask", [id]);
    } else if (this.r.next() < 0.5) {
      await this.ctx.tx(this.coordinator, this.ctx.addr.tasks, taskManagerAbi as Abi, "settleCancel", [id]);
    } else {
      await this.ctx.advance(this.ctx.deployment.config.cancelGraceSeconds);
      await this.ctx.tx(v.creator, this.ctx.addr.tasks, taskManagerAbi as Abi, "cancelTask", [id]);
    }
  }

  /** Governance weight moves to another actor, or back to the owner (delegate to 0x0). */
  async delegate() {
    const from = this.r.pick(this.actors);
    const to = this.r.next() < 0.3 ? "0x0000000000000000000000000000000000000000" : this.r.pick(this.actors);
    await this.ctx.tx(from, this.ctx.addr.staking, stakingAbi as Abi, "delegate", [to]);
  }

  /** A governor proposal (a harmless timelock self-call) voted by a few actors; queued and executed when it passes. */
  async governanceRound() {
    const delay = BigInt(this.ctx.deployment.config.timelockDelaySeconds);
    const targets = [this.ctx.addr.timelock];
    const values = [0n];
    const calldatas = [encodeFunctionData({ abi: timelockControllerAbi, functionName: "updateDelay", args: [delay] })];
    const description = `proposal ${this.r.int(0, 1e9)}`;
    const descriptionHash = keccak256(toHex(description));
    const gov = (from: Address, fn: string, args: readonly unknown[]) => this.ctx.tx(from, this.ctx.addr.governor, corexGovernorAbi as Abi, fn, args);
    await gov(this.r.pick(this.actors), "propose", [targets, values, calldatas, description]);
    const id = await this.ctx.read<bigint>(this.ctx.addr.governor, corexGovernorAbi as Abi, "hashProposal", [targets, values, calldatas, descriptionHash]);
    await this.ctx.advance(this.ctx.deployment.config.votingDelaySeconds + 1);
    for (const voter of this.actors) {
      if (this.r.next() < 0.5) continue;
      const weight = await this.ctx.read<bigint>(this.ctx.addr.staking, stakingAbi as Abi, "getVotes", [voter]);
      const support = this.r.next() < 0.7 ? 1 : this.r.int(0, 2);
      if (this.r.next() < 0.2) await gov(voter, "castVoteWithReason", [id, support, `weight ${weight}`]);
      else await gov(voter, "castVote", [id, support]);
    }
    await this.ctx.advance(this.ctx.deployment.config.votingPeriodSeconds + 1);
    const state = await this.ctx.read<number>(this.ctx.addr.governor, corexGovernorAbi as Abi, "state", [id]);
    if (state !== 4) return; // defeated (no quorum or more against): stays "created" in the mirror
    await gov(this.coordinator, "queue", [targets, values, calldatas, descriptionHash]);
    await this.ctx.advance(Number(delay) + 1);
    await gov(this.coordinator, "execute", [targets, values, calldatas, descriptionHash]);
  }

  /** Posts the next epoch (cumulative rewards grow), sometimes disputes it, finalises and claims. */
  async epochRound() {
    await this.postEpoch(false);
    const e = await this.ctx.read<bigint>(this.ctx.addr.ledger, contributionLedgerAbi as Abi, "lastEpoch");
    // At least one dispute per workload (the mirror tests need the dispute events), then 30 % of rounds.
    if (this.r.next() < 0.3 || !this.disputed) {
      const bond = BigInt(this.ctx.deployment.config.disputeBond);
      const staked = await this.randomNode((v) => v.active && !v.locked && v.stake >= BigInt(this.ctx.deployment.config.minDisputeStake));
      if (staked && (await this.balance(staked[1].owner)) >= bond) {
        await this.ctx.tx(staked[1].owner, this.ctx.addr.token, cxtTokenAbi as Abi, "approve", [this.ctx.addr.ledger, bond]);
        await this.ctx.tx(staked[1].owner, this.ctx.addr.ledger, contributionLedgerAbi as Abi, "dispute", [e, BigInt(staked[0]), keccak256(toHex("bad"))]);
        this.disputed = true;
        await this.ctx.tx(this.resolver, this.ctx.addr.ledger, contributionLedgerAbi as Abi, "resolveDispute", [e, 0n, this.r.next() < 0.5]);
        const ep = await this.ctx.read<EpochView>(this.ctx.addr.ledger, contributionLedgerAbi as Abi, "getEpoch", [e]);
        if (ep.status === 4) return; // invalid: never claimable
      }
    }
    await this.finalizeEpoch();
    await this.claimAll(0.7);
  }

  private async postEpoch(first: boolean) {
    const last = await this.ctx.read<bigint>(this.ctx.addr.ledger, contributionLedgerAbi as Abi, "lastEpoch");
    if (!first && last > 0n) {
      const prev = await this.ctx.read<EpochView>(this.ctx.addr.ledger, contributionLedgerAbi as Abi, "getEpoch", [last]);
      if (prev.status === 1 || prev.status === 2) await this.ctx.advance(CHALLENGE_SECONDS + 1);
      if (prev.status === 2) await this.ctx.tx(this.resolver, this.ctx.addr.ledger, contributionLedgerAbi as Abi, "resolveDispute", [last, 0n, false]);
    }
    // The running allowance counts valid epochs only: after an invalid epoch the new total re-declares
    // what that epoch added (Σ cumulative now − Σ cumulative of the last valid epoch).
    let carried = 0n;
    if (last > 0n) {
      const prev = await this.ctx.read<EpochView>(this.ctx.addr.ledger, contributionLedgerAbi as Abi, "getEpoch", [last]);
      if (prev.status === 4) carried = prev.total;
    }
    const epoch = last + 1n;
    const nodes = await this.nodeCount();
    const owners = await Promise.all(Array.from({ length: nodes }, (_, i) => this.node(i + 1).then((n) => n.owner)));
    let total = carried;
    for (const account of this.actors) {
      // Leaves only name the account's own nodes (a claim naming someone else's node reverts).
      const own = owners.flatMap((o, i) => (o === account ? [BigInt(i + 1)] : []));
      const nodeId = this.r.next() < 0.6 && own.length > 0 ? this.r.pick(own) : 0n;
      const key = `${account}|${nodeId}`;
      const cur = this.cumulative.get(key) ?? { account, nodeId, amount: 0n, work: 0n };
      const add = parseEther(String(this.r.int(100, 5000)));
      total += add;
      this.cumulative.set(key, { ...cur, amount: cur.amount + add, work: cur.work + BigInt(this.r.int(1, 1e6)) * 100_000n });
    }
    const values = [...this.cumulative.values()].map((v) => [v.account, v.nodeId.toString(), v.amount.toString(), v.work.toString()] as [string, string, string, string]);
    const tree = StandardMerkleTree.of(values, ["address", "uint256", "uint256", "uint256"]);
    this.trees.set(epoch, tree);
    await this.growFees();
    const fees = feesTree([...this.fees.values()]);
    this.feeTrees.set(epoch, fees);
    await this.ctx.tx(this.coordinator, this.ctx.addr.ledger, contributionLedgerAbi as Abi, "postEpoch", [
      epoch,
      keccak256(toHex(`credentials-${epoch}`)),
      epochRoot(tree.root, fees?.root),
      total,
      BigInt(this.r.int(1, 1e9)),
      this.r.int(1, 1000),
    ]);
  }

  /**
   * Task fee leaves grow as a coordinator's would: a few actors earn part of what is left of a task's
   * fee; a closed task's creator gets the rest as its refund leaf, once. Per task Σ leaves ≤ fee.
   */
  private async growFees() {
    const count = await this.taskCount();
    for (let id = 1; id <= count; id++) {
      const t = await this.task(id);
      const leaves = [...this.fees.values()].filter((l) => l[1] === String(id));
      if (leaves.some((l) => l[0] === "refund")) continue;
      const committed = leaves.reduce((s, l) => s + BigInt(l[3]), 0n);
      if (t.status !== 1) {
        if (t.fee > committed) this.fees.set(`refund|${id}|${t.creator}`, ["refund", String(id), t.creator, (t.fee - committed).toString()]);
        continue;
      }
      if (this.r.next() < 0.5) continue;
      let left = t.fee - committed;
      for (let k = this.r.int(1, 3); k > 0 && left > 0n; k--) {
        const who = this.r.pick(this.actors);
        const add = this.r.big(left / 2n);
        const key = `fee|${id}|${who}`;
        this.fees.set(key, ["fee", String(id), who, (BigInt(this.fees.get(key)?.[3] ?? "0") + add).toString()]);
        left -= add;
      }
    }
  }

  /** Claims (with probability p each) the unpaid fee and refund leaves of the latest final epoch. */
  private async claimFeeLeaves(p: number) {
    const epoch = await this.ctx.read<bigint>(this.ctx.addr.ledger, contributionLedgerAbi as Abi, "latestFinalEpoch");
    const fees = this.feeTrees.get(epoch);
    const rewards = this.trees.get(epoch);
    if (!fees || !rewards) return;
    for (const [i, [kind, taskId, account, amount]] of fees.entries()) {
      if (this.r.next() > p) continue;
      const id = BigInt(taskId);
      const proof = epochProof(fees.getProof(i), rewards.root);
      const from = this.r.pick(this.ctx.accounts);
      if (kind === "fee") {
        const paid = await this.ctx.read<bigint>(this.ctx.addr.tasks, taskManagerAbi as Abi, "feePaidTo", [id, account]);
        if (paid < BigInt(amount)) await this.ctx.tx(from, this.ctx.addr.tasks, taskManagerAbi as Abi, "claimFee", [epoch, id, account, BigInt(amount), proof]);
      } else {
        const t = await this.ctx.read<{ refunded: bigint; closedAt: bigint }>(this.ctx.addr.tasks, taskManagerAbi as Abi, "getTask", [id]);
        const e = await this.ctx.read<EpochView>(this.ctx.addr.ledger, contributionLedgerAbi as Abi, "getEpoch", [epoch]);
        if (t.refunded < BigInt(amount) && e.postedAt >= t.closedAt) await this.ctx.tx(from, this.ctx.addr.tasks, taskManagerAbi as Abi, "claimRefund", [epoch, id, BigInt(amount), proof]);
      }
    }
  }

  private async finalizeEpoch() {
    await this.ctx.advance(CHALLENGE_SECONDS + 1);
  }

  private async claimAll(p = 1) {
    const epoch = await this.ctx.read<bigint>(this.ctx.addr.ledger, contributionLedgerAbi as Abi, "latestFinalEpoch");
    const tree = this.trees.get(epoch)!;
    for (const [i, v] of tree.entries()) {
      if (this.r.next() > p) continue;
      const claimed = await this.ctx.read<{ amount: bigint; workUnits: bigint }>(this.ctx.addr.ledger, contributionLedgerAbi as Abi, "claimedOf", [v[0], BigInt(v[1])]);
      if (claimed.amount >= BigInt(v[2]) && claimed.workUnits >= BigInt(v[3])) continue;
      await this.ctx.tx(this.r.pick(this.ctx.accounts), this.ctx.addr.ledger, contributionLedgerAbi as Abi, "claim", [
        epoch,
        v[0],
        BigInt(v[1]),
        BigInt(v[2]),
        BigInt(v[3]),
        epochProof(tree.getProof(i), this.feeTrees.get(epoch)?.root),
      ]);
    }
    await this.claimFeeLeaves(p);
  }
}
