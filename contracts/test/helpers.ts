import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  BaseError,
  ContractFunctionRevertedError,
  createTestClient,
  defineChain,
  getAddress,
  http,
  keccak256,
  publicActions,
  toHex,
  walletActions,
  type Abi,
  type AbiItem,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { expect } from "vitest";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { corexGovernorAbi } from "@/contracts-abi/corex-governor";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { hookTokenAbi } from "@/contracts-abi/mocks/hook-token";
import { reentrantAttackerAbi } from "@/contracts-abi/mocks/reentrant-attacker";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { timelockControllerAbi } from "@/contracts-abi/timelock-controller";
import type { Deployment } from "@/lib/chain/deployment";
import { deployAll, type DeployOptions } from "@/scripts/contracts/deploy";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { epochProof, epochRoot, feesTree, type FeeLeaf } from "@/lib/epochs/rules";

// Every custom error of every contract, so a revert bubbling up from another contract still decodes.
const allErrors: AbiItem[] = (() => {
  const seen = new Set<string>();
  const out: AbiItem[] = [];
  for (const abi of [cxtTokenAbi, stakingAbi, contributionLedgerAbi, taskManagerAbi, corexGovernorAbi, timelockControllerAbi, hookTokenAbi, reentrantAttackerAbi] as Abi[]) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const key = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(item);
      }
    }
  }
  return out;
})();

export function withErrors(abi: Abi): Abi {
  const names = new Set(abi.filter((i) => i.type === "error").map((i) => (i as { name: string }).name));
  return [...abi, ...allErrors.filter((e) => !names.has((e as { name: string }).name))];
}

export type Chain = Awaited<ReturnType<typeof startChain>>;

/** Starts a private anvil and deploys the contracts (nothing written to contracts-abi/deployments). */
export async function startChain(opts: Omit<DeployOptions, "rpcUrl" | "deploymentsDir"> = {}) {
  const anvil: AnvilInstance = await startAnvil();
  const chain = defineChain({
    id: anvil.chainId,
    name: "anvil",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  });
  const client = createTestClient({ chain, mode: "anvil", transport: http(anvil.rpcUrl) })
    .extend(publicActions)
    .extend(walletActions);
  const accounts = (await client.getAddresses()).map((a) => getAddress(a));
  const deployment: Deployment = await deployAll({ rpcUrl: anvil.rpcUrl, deploymentsDir: null, ...opts });
  const c = deployment.contracts;
  const addr = {
    token: c.CXTToken.address,
    staking: c.Staking.address,
    ledger: c.ContributionLedger.address,
    tasks: c.TaskManager.address,
    timelock: c.TimelockController.address,
    governor: c.CorexGovernor.address,
  };

  /** Sends a transaction from a (json-rpc, unlocked) anvil account and waits for a successful receipt. */
  async function tx(
    from: Address,
    to: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[] = [],
    opts: { gas?: bigint } = {},
  ): Promise<TransactionReceipt> {
    // json-rpc accounts skip viem's gas estimation, so simulate first to surface decoded reverts.
    const { request } = await client.simulateContract({ account: from, address: to, abi: withErrors(abi), functionName, args } as never);
    // Estimate against the pending block: at `latest`, Staking's vote checkpoints (OZ Votes) see the
    // block number of the last checkpoint and price an in-place update where the real transaction
    // pushes a new checkpoint.
    // + 30,000: the checkpoints are keyed by timestamp, and anvil may mine the pending block in the same
    // second as the last checkpoint (an in-place update in the estimate, a new slot when mined).
    const gas = opts.gas ?? (await client.estimateContractGas({ ...(request as object), blockTag: "pending" } as never)) + 30_000n;
    const hash = await client.writeContract({ ...(request as object), gas } as never);
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted on-chain`);
    return receipt;
  }

  /** Simulates the call from `from` and returns its result (throws decoded custom errors). */
  async function call<T = unknown>(from: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[] = []): Promise<T> {
    const { result } = await client.simulateContract({ account: from, address: to, abi: withErrors(abi), functionName, args } as never);
    return result as T;
  }

  async function read<T = unknown>(to: Address, abi: Abi, functionName: string, args: readonly unknown[] = []): Promise<T> {
    return (await client.readContract({ address: to, abi, functionName, args } as never)) as T;
  }

  async function deploy(abi: Abi, bytecode: Hex, args: readonly unknown[] = [], from = accounts[0]): Promise<Address> {
    const hash = await client.deployContract({ account: from, abi, bytecode, args } as never);
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error("deploy failed");
    return getAddress(receipt.contractAddress);
  }

  async function increaseTime(seconds: number) {
    await client.increaseTime({ seconds });
    await client.mine({ blocks: 1 });
  }

  async function now(): Promise<bigint> {
    return (await client.getBlock()).timestamp;
  }

  return { anvil, client, accounts, deployment, addr, tx, call, read, deploy, increaseTime, now, stop: () => anvil.stop() };
}

/** Asserts that `p` rejects with the custom error `errorName` (decoded from the revert data). */
export async function expectRevert(p: Promise<unknown>, errorName: string): Promise<void> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error, `expected revert ${errorName}`).toBeDefined();
  if (!(error instanceof BaseError)) throw error;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  const name = reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
  expect(name ?? error.shortMessage).toBe(errorName);
}

/** evm_snapshot before each test, evm_revert after: every test starts from the same chain state. */
export function snapshotter(getChain: () => Chain) {
  let id: Hex | undefined;
  return {
    async take() {
      id = await getChain().client.snapshot();
    },
    async revert() {
      if (id) await getChain().client.revert({ id });
    },
  };
}

export type RewardLeaf = [Address, bigint, bigint, bigint]; // account, nodeId, cumulativeAmount, cumulativeWorkUnits

/**
 * Off-chain side of the ledger as the coordinator would run it: a book of cumulative rewards per
 * (account, nodeId), turned into a StandardMerkleTree per epoch.
 */
export class RewardsBook {
  private entries = new Map<string, RewardLeaf>();
  private feeEntries = new Map<string, FeeLeaf>();
  private postedSum = 0n;
  epoch = 0n;
  trees = new Map<bigint, StandardMerkleTree<RewardLeaf>>();
  /** The fee subtree of each epoch (null when it had no fee leaves). */
  feeTrees = new Map<bigint, StandardMerkleTree<FeeLeaf> | null>();

  constructor(private chain: Chain) {}

  /** An independent copy (tests that revert the chain to a snapshot go back to a copy of the book). */
  copy(): RewardsBook {
    const b = new RewardsBook(this.chain);
    b.entries = new Map(this.entries);
    b.feeEntries = new Map(this.feeEntries);
    b.postedSum = this.postedSum;
    b.epoch = this.epoch;
    b.trees = new Map(this.trees);
    b.feeTrees = new Map(this.feeTrees);
    return b;
  }

  /** Adds to the cumulative amount/work of (account, nodeId). */
  credit(account: Address, amount: bigint, nodeId = 0n, work = 0n): this {
    const key = `${account}:${nodeId}`;
    const prev = this.entries.get(key) ?? [account, nodeId, 0n, 0n];
    this.entries.set(key, [account, nodeId, prev[2] + amount, prev[3] + work]);
    return this;
  }

  /** Sets the cumulative fee leaf ["fee", taskId, account, amount] (or a "refund" leaf) of the next post. */
  fee(taskId: bigint, account: Address, amount: bigint, kind: FeeLeaf[0] = "fee"): this {
    this.feeEntries.set(`${kind}:${taskId}:${account.toLowerCase()}`, [kind, taskId.toString(), account, amount.toString()]);
    return this;
  }

  /** Removes a fee leaf from the next post. */
  dropFee(taskId: bigint, account: Address, kind: FeeLeaf[0] = "fee"): this {
    this.feeEntries.delete(`${kind}:${taskId}:${account.toLowerCase()}`);
    return this;
  }

  sum(): bigint {
    let s = 0n;
    for (const [, , amount] of this.entries.values()) s += amount;
    return s;
  }

  leaves(): RewardLeaf[] {
    // A single-leaf tree has an empty proof; pad with a zero leaf so proofs are never trivially empty.
    const list = [...this.entries.values()];
    if (list.length < 2) list.push(["0x000000000000000000000000000000000000dEaD", 0n, 0n, 0n]);
    return list;
  }

  /** Posts the next epoch; `total` defaults to the growth of the book since the last post. */
  async post(opts: { total?: bigint; from?: Address } = {}) {
    const tree = StandardMerkleTree.of(this.leaves(), ["address", "uint256", "uint256", "uint256"]);
    const fees = feesTree([...this.feeEntries.values()]);
    const total = opts.total ?? this.sum() - this.postedSum;
    const epoch = this.epoch + 1n;
    await this.chain.tx(opts.from ?? this.chain.accounts[0], this.chain.addr.ledger, contributionLedgerAbi, "postEpoch", [
      epoch,
      keccak256(toHex(`credentials-${epoch}`)),
      epochRoot(tree.root, fees?.root),
      total,
      0n,
      0,
    ]);
    this.epoch = epoch;
    this.postedSum = this.sum();
    this.trees.set(epoch, tree);
    this.feeTrees.set(epoch, fees);
    return { epoch, tree, total, root: epochRoot(tree.root, fees?.root) };
  }

  async postAndFinalize(opts: { total?: bigint } = {}) {
    const r = await this.post(opts);
    await this.chain.increaseTime(this.chain.deployment.config.challengeSeconds);
    return r;
  }

  /** Leaf + proof of (account, nodeId) in the tree of `epoch` (default: the last posted). */
  proof(account: Address, nodeId = 0n, epoch = this.epoch) {
    const tree = this.trees.get(epoch);
    if (!tree) throw new Error(`no tree for epoch ${epoch}`);
    for (const [i, leaf] of tree.entries()) {
      if (getAddress(leaf[0]) === getAddress(account) && BigInt(leaf[1]) === nodeId) {
        return { leaf, proof: epochProof(tree.getProof(i), this.feeTrees.get(epoch)?.root) };
      }
    }
    throw new Error(`no leaf for ${account}/${nodeId}`);
  }

  /** claimFee arguments of ["fee", taskId, account, …] in `epoch` (default: the last posted). */
  feeClaimArgs(taskId: bigint, account: Address, epoch = this.epoch) {
    const { leaf, proof } = this.feeProof("fee", taskId, account, epoch);
    return [epoch, taskId, account, BigInt(leaf[3]), proof] as const;
  }

  /** claimRefund arguments of ["refund", taskId, creator, …] in `epoch` (default: the last posted). */
  refundClaimArgs(taskId: bigint, creator: Address, epoch = this.epoch) {
    const { leaf, proof } = this.feeProof("refund", taskId, creator, epoch);
    return [epoch, taskId, BigInt(leaf[3]), proof] as const;
  }

  feeProof(kind: FeeLeaf[0], taskId: bigint, account: Address, epoch = this.epoch) {
    const fees = this.feeTrees.get(epoch);
    const rewards = this.trees.get(epoch);
    if (!fees || !rewards) throw new Error(`no fee tree for epoch ${epoch}`);
    for (const [i, leaf] of fees.entries()) {
      if (leaf[0] === kind && BigInt(leaf[1]) === taskId && getAddress(leaf[2]) === getAddress(account)) return { leaf, proof: epochProof(fees.getProof(i), rewards.root) };
    }
    throw new Error(`no ${kind} leaf for ${taskId}/${account}`);
  }

  claimArgs(account: Address, nodeId = 0n, epoch = this.epoch) {
    const { leaf, proof } = this.proof(account, nodeId, epoch);
    return [epoch, leaf[0], leaf[1], leaf[2], leaf[3], proof] as const;
  }

  /** Claims for (account, nodeId) against `epoch`, sent by `from` (default: the account itself). */
  claim(account: Address, nodeId = 0n, opts: { epoch?: bigint; from?: Address } = {}) {
    return this.chain.tx(opts.from ?? account, this.chain.addr.ledger, contributionLedgerAbi, "claim", this.claimArgs(account, nodeId, opts.epoch));
  }
}

/** Gives each account `amount` CXT through a real epoch + claim (the only way CXT comes to exist). */
export async function fund(chain: Chain, book: RewardsBook, accounts: Address[], amount: bigint): Promise<void> {
  for (const a of accounts) book.credit(a, amount);
  await book.postAndFinalize();
  for (const a of accounts) await book.claim(a);
}
