/**
 * Gas report: starts a private anvil, deploys, performs every user-facing call and prints the gas
 * each one used (from the receipts). `--markdown` prints a Markdown table.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  createTestClient,
  defineChain,
  http,
  keccak256,
  parseEther,
  parseSignature,
  publicActions,
  toHex,
  walletActions,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { merkleDistributorBaselineAbi, merkleDistributorBaselineBytecode } from "@/contracts-abi/mocks/merkle-distributor-baseline";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { epochProof, epochRoot, feesTree, type FeeLeaf } from "@/lib/epochs";
import { deployAll } from "@/scripts/contracts/deploy";
import { startAnvil } from "@/test/support/anvil";

type Row = { contract: string; call: string; gas: bigint; note: string };

export async function gasReport(): Promise<Row[]> {
  const anvil = await startAnvil();
  try {
    const chain = defineChain({
      id: anvil.chainId,
      name: "anvil",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [anvil.rpcUrl] } },
    });
    const client = createTestClient({ chain, mode: "anvil", transport: http(anvil.rpcUrl) }).extend(publicActions).extend(walletActions);
    const challengeSeconds = 60;
    const d = await deployAll({ rpcUrl: anvil.rpcUrl, deploymentsDir: null, challengeSeconds, unbondingSeconds: 300 });
    const [coordinator, alice, bob, carol] = await client.getAddresses();
    const token = d.contracts.CXTToken.address;
    const staking = d.contracts.Staking.address;
    const ledger = d.contracts.ContributionLedger.address;
    const tasks = d.contracts.TaskManager.address;
    const rows: Row[] = [];

    const send = async (contract: string, from: Address, to: Address, abi: Abi, fn: string, args: readonly unknown[], note = "") => {
      const { request } = await client.simulateContract({ account: from, address: to, abi, functionName: fn, args } as never);
      const gas = await client.estimateContractGas({ ...(request as object), blockTag: "pending" } as never);
      const hash = await client.writeContract({ ...(request as object), gas } as never);
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`${fn} reverted`);
      if (contract) rows.push({ contract, call: fn, gas: receipt.gasUsed, note: note.includes("node + work") ? `${note} = ${await breakdown(hash, receipt.gasUsed)}` : note });
      return receipt;
    };

    // Where a claim's gas goes: the base cost, calldata (EIP-2028: 4 per zero byte, 16 per other byte),
    // each external call's own execution (callTracer), and the ledger's own execution (the rest: proof,
    // epoch and claim-record slots, totalMinted, events, the two cold-account call overheads).
    const breakdown = async (hash: Hex, total: bigint) => {
      const tx = await client.getTransaction({ hash });
      const bytes = Buffer.from(tx.input.slice(2), "hex");
      const calldata = BigInt(bytes.reduce((g, b) => g + (b === 0 ? 4 : 16), 0));
      type Frame = { to: string; gasUsed: Hex; calls?: Frame[] };
      const trace = (await client.request({ method: "debug_traceTransaction", params: [hash, { tracer: "callTracer" }] } as never)) as Frame;
      const sub = (to: string) => (trace.calls ?? []).filter((c) => c.to.toLowerCase() === to.toLowerCase()).reduce((g, c) => g + BigInt(c.gasUsed), 0n);
      const mint = sub(token);
      const work = sub(staking);
      const own = total - 21_000n - calldata - mint - work;
      const f = (n: bigint) => n.toLocaleString("en-US");
      return `21,000 base + ${f(calldata)} calldata + ${f(own)} ledger + ${f(mint)} CXT mint + ${f(work)} Staking.recordWork`;
    };

    // Epoch 1: alice (node 1, with work), bob (no node) and carol earn; claims mint.
    const leaves = (a: bigint, b: bigint, c: bigint, work: bigint): [Address, bigint, bigint, bigint][] => [
      [alice, 1n, a, work],
      [bob, 0n, b, 0n],
      [carol, 0n, c, 0n],
      ...Array.from({ length: 1021 }, (_, i) => [toHex(i + 1, { size: 20 }) as Address, 0n, 1n, 0n] as [Address, bigint, bigint, bigint]),
    ];
    const post = async (epoch: bigint, values: [Address, bigint, bigint, bigint][], total: bigint, note = "") => {
      const tree = StandardMerkleTree.of(values, ["address", "uint256", "uint256", "uint256"]);
      await send("ContributionLedger", coordinator, ledger, contributionLedgerAbi, "postEpoch", [epoch, keccak256(toHex(`c${epoch}`)), tree.root, total, 10n ** 12n, 5000], note);
      await client.increaseTime({ seconds: challengeSeconds });
      await client.mine({ blocks: 1 });
      return tree;
    };
    const claimArgs = (tree: StandardMerkleTree<[Address, bigint, bigint, bigint]>, epoch: bigint, i: number) => {
      const v = tree.at(i)!;
      return [epoch, v[0], v[1], v[2], v[3], tree.getProof(i)] as const;
    };

    await send("Staking", alice, staking, stakingAbi, "registerNode", [0, "ipfs://bafy-node-metadata"], "kind gpu, 26-byte metadata URI");
    const e1 = leaves(parseEther("5000"), parseEther("3000"), parseEther("100"), 10n ** 11n);
    const t1 = await post(1n, e1, parseEther("8100") + 1021n, "1,024-leaf tree");
    // Carol claims first and pays the one-time costs (first mint ever: supply and totalMinted 0 → x).
    await send("", carol, ledger, contributionLedgerAbi, "claim", claimArgs(t1, 1n, 2));
    await send("ContributionLedger", alice, ledger, contributionLedgerAbi, "claim", claimArgs(t1, 1n, 0), "account's first claim, node + work (records work, tier check), 10-hash proof");
    await send("ContributionLedger", bob, ledger, contributionLedgerAbi, "claim", claimArgs(t1, 1n, 1), "account's first claim, no node");
    const e2 = leaves(parseEther("6000"), parseEther("3500"), parseEther("100"), 2n * 10n ** 11n);
    const t2 = await post(2n, e2, parseEther("1500"));
    await send("ContributionLedger", alice, ledger, contributionLedgerAbi, "claim", claimArgs(t2, 2n, 0), "repeat claim, node + work");
    await send("ContributionLedger", bob, ledger, contributionLedgerAbi, "claim", claimArgs(t2, 2n, 1), "repeat claim, no node");
    const batch = (from: number) =>
      Array.from({ length: 10 }, (_, k) => {
        const [epoch, account, nodeId, cumulativeAmount, cumulativeWorkUnits, proof] = claimArgs(t2, 2n, from + k);
        return { epoch, account, nodeId, cumulativeAmount, cumulativeWorkUnits, proof };
      });
    const many = await send("", carol, ledger, contributionLedgerAbi, "claimMany", [batch(3)]);
    rows.push({ contract: "ContributionLedger", call: "claimMany", gas: many.gasUsed, note: `10 first claims, no node: ${(many.gasUsed / 10n).toLocaleString("en-US")} per claim` });

    await send("CXTToken", alice, token, cxtTokenAbi, "approve", [staking, parseEther("100000")]);
    await send("CXTToken", alice, token, cxtTokenAbi, "transfer", [carol, parseEther("1")], "to a holder");
    const deadline = (await client.getBlock()).timestamp + 3600n;
    const sig = await client.signTypedData({
      account: bob,
      domain: { name: "Corex Token", version: "1", chainId: anvil.chainId, verifyingContract: token },
      types: { Permit: [{ name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" }, { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] },
      primaryType: "Permit",
      message: { owner: bob, spender: tasks, value: parseEther("1000"), nonce: 0n, deadline },
    });
    const { v, r, s } = parseSignature(sig);
    await send("CXTToken", carol, token, cxtTokenAbi, "permit", [bob, tasks, parseEther("1000"), deadline, Number(v), r, s]);

    await send("Staking", alice, staking, stakingAbi, "stake", [1n, parseEther("2000")], "first stake, tier → silver, first weight checkpoint");
    await send("Staking", alice, staking, stakingAbi, "stake", [1n, parseEther("500")], "top-up");
    await send("Staking", alice, staking, stakingAbi, "updateNode", [1n, 1, "ipfs://bafy-node-metadata-v2"]);
    await send("Staking", alice, staking, stakingAbi, "requestUnstake", [1n, parseEther("300")], "first tranche");
    await send("Staking", alice, staking, stakingAbi, "requestUnstake", [1n, parseEther("10")], "second tranche");
    await send("Staking", alice, staking, stakingAbi, "delegate", [carol], "governance weight to another address");
    await send("Staking", d.roles.slasher, staking, stakingAbi, "slash", [1n, 1000, keccak256(toHex("evidence"))], "10% of stake + 2 tranches, into the appeal escrow");
    await client.increaseTime({ seconds: 301 });
    await client.mine({ blocks: 1 });
    await send("Staking", alice, staking, stakingAbi, "withdraw", [1n], "2 released tranches");
    await send("Staking", carol, staking, stakingAbi, "burnSlash", [1n], "after the appeal period, by anyone");
    await send("Staking", bob, staking, stakingAbi, "registerNode", [3, "browser"]);
    await send("Staking", bob, staking, stakingAbi, "deactivateNode", [2n]);

    const spec = keccak256(toHex("spec"));
    const NONE = "0x0000000000000000000000000000000000000000";
    await send("TaskManager", bob, tasks, taskManagerAbi, "createTask", [spec, 40, parseEther("100"), 1, NONE, 0], "with fee escrow (after permit)");
    await send("TaskManager", bob, tasks, taskManagerAbi, "createTask", [spec, 40, 0n, 0, carol, 1_000], "no fee, a dataset provider with 10 %");
    await send("TaskManager", bob, tasks, taskManagerAbi, "cancelTask", [2n], "no escrow: cancels at once");
    await send("TaskManager", coordinator, tasks, taskManagerAbi, "complete", [1n, spec], "closes the task (moves no money)");
    await send("TaskManager", bob, tasks, taskManagerAbi, "createTask", [spec, 40, parseEther("100"), 1, NONE, 0]);
    await send("TaskManager", bob, tasks, taskManagerAbi, "cancelTask", [3n], "with escrow: requests the cancellation");
    await send("TaskManager", coordinator, tasks, taskManagerAbi, "settleCancel", [3n], "closes the task (moves no money)");
    await send("TaskManager", bob, tasks, taskManagerAbi, "createTask", [spec, 40, parseEther("100"), 1, NONE, 0]);

    // Fees settled through the epoch root (F10): epoch 3 = epoch 2's 1,024 reward leaves next to a
    // 64-leaf fee tree (task 1: alice, carol, bob's refund; task 3: 60 contributors and the refund; task
    // 4, still open: alice); epoch 4 raises alice's fee on task 4. A fee proof is 6 hashes + the reward
    // tree's root; a reward proof gains the fee tree's root (11 hashes).
    const feeLeaves = (aliceOn4: bigint): FeeLeaf[] => [
      ["fee", "1", alice, parseEther("10").toString()],
      ["fee", "1", carol, parseEther("10").toString()],
      ["refund", "1", bob, parseEther("80").toString()],
      ...Array.from({ length: 60 }, (_, i): FeeLeaf => ["fee", "3", toHex(i + 5000, { size: 20 }), parseEther("1").toString()]),
      ["refund", "3", bob, parseEther("40").toString()],
      ["fee", "4", alice, aliceOn4.toString()],
    ];
    const postWithFees = async (epoch: bigint, values: [Address, bigint, bigint, bigint][], total: bigint, fees: FeeLeaf[]) => {
      const rewards = StandardMerkleTree.of(values, ["address", "uint256", "uint256", "uint256"]);
      const feeTree = feesTree(fees)!;
      await send("ContributionLedger", coordinator, ledger, contributionLedgerAbi, "postEpoch", [epoch, keccak256(toHex(`c${epoch}`)), epochRoot(rewards.root, feeTree.root), total, 0n, 0]);
      await client.increaseTime({ seconds: challengeSeconds });
      await client.mine({ blocks: 1 });
      const feeArgs = (i: number) => [epoch, BigInt(feeTree.at(i)![1]), feeTree.at(i)![2] as Address, BigInt(feeTree.at(i)![3]), epochProof(feeTree.getProof(i), rewards.root)] as const;
      return { feeArgs, rewards, feeTree };
    };
    const e3 = await postWithFees(3n, e2, 0n, feeLeaves(parseEther("10")));
    await send("TaskManager", carol, tasks, taskManagerAbi, "claimFee", e3.feeArgs(0), "alice's first fee claim on the task (sent by anyone), 7-hash proof");
    await send("TaskManager", carol, tasks, taskManagerAbi, "claimFee", e3.feeArgs(1), "first fee claim on the task, to the sender");
    const [, , , refund, refundProof] = e3.feeArgs(2);
    await send("TaskManager", bob, tasks, taskManagerAbi, "claimRefund", [3n, 1n, refund, refundProof], "the creator's refund of a completed task");
    await send("TaskManager", alice, tasks, taskManagerAbi, "claimFee", e3.feeArgs(64));
    const e4r = leaves(parseEther("6000"), parseEther("3600"), parseEther("100"), 2n * 10n ** 11n);
    const e4 = await postWithFees(4n, e4r, parseEther("100"), feeLeaves(parseEther("25")));
    await send("TaskManager", alice, tasks, taskManagerAbi, "claimFee", e4.feeArgs(64), "repeat fee claim on the task (cumulative 10 → 25)");
    const rewardArgs = [4n, e4r[1]![0], e4r[1]![1], e4r[1]![2], e4r[1]![3], epochProof(e4.rewards.getProof(1), e4.feeTree.root)] as const;
    await send("ContributionLedger", bob, ledger, contributionLedgerAbi, "claim", rewardArgs, "repeat claim, no node, in an epoch with fee leaves (11-hash proof)");

    // Named baseline, same chain, same proof depth: a Uniswap-style MerkleDistributor claim (one-shot
    // airdrop of a pre-funded token: a claimed bit and a transfer; no schedule, no cumulative record,
    // no work). The first claim of a word pays a fresh bitmap slot; a later claim finds it set.
    const airdrop = StandardMerkleTree.of(
      Array.from({ length: 1024 }, (_, i) => [BigInt(i), i === 0 ? alice : i === 1 ? bob : (toHex(i + 1, { size: 20 }) as Address), parseEther("1")] as [bigint, Address, bigint]),
      ["uint256", "address", "uint256"],
    );
    const baseline = await client.deployContract({ account: coordinator, abi: merkleDistributorBaselineAbi, bytecode: merkleDistributorBaselineBytecode, args: [airdrop.root as Hex, parseEther("1024")] });
    const baselineAddress = (await client.waitForTransactionReceipt({ hash: baseline })).contractAddress as Address;
    const drop = (i: number) => {
      const v = airdrop.at(i)!;
      return [v[0], v[1], v[2], airdrop.getProof(i)] as const;
    };
    await send("baseline", carol, baselineAddress, merkleDistributorBaselineAbi as Abi, "claim", [...drop(0)], "Uniswap-style MerkleDistributor, first claim of a bitmap word (to a new holder)");
    await send("baseline", carol, baselineAddress, merkleDistributorBaselineAbi as Abi, "claim", [...drop(1)], "Uniswap-style MerkleDistributor, bitmap word already used (to a new holder)");
    return rows;
  } finally {
    await anvil.stop();
  }
}

function printTable(rows: Row[], markdown: boolean) {
  if (markdown) {
    console.log("| contract | call | gas | note |\n| --- | --- | ---: | --- |");
    for (const r of rows) console.log(`| ${r.contract} | \`${r.call}\` | ${r.gas.toLocaleString("en-US")} | ${r.note} |`);
    return;
  }
  const w = [Math.max(...rows.map((r) => r.contract.length)), Math.max(...rows.map((r) => r.call.length)), 9];
  for (const r of rows) {
    console.log(`${r.contract.padEnd(w[0])}  ${r.call.padEnd(w[1])}  ${r.gas.toLocaleString("en-US").padStart(w[2])}  ${r.note}`);
  }
}

gasReport()
  .then((rows) => printTable(rows, process.argv.includes("--markdown")))
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
