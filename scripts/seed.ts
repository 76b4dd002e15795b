/**
 * Demo data for the dev chain, run by `npm run dev` right after a fresh deployment: three nodes of
 * different kinds, a genesis epoch whose rewards are claimed (the only way CXT comes to exist) and
 * staked, and a governance proposal voted with the nodes' stake × tier weight; then (`seedDemoJob`,
 * once the database is migrated) a demo MNIST job whose funded task is on the chain. Dev chain only: it
 * moves anvil's clock past the challenge window and mines blocks for the vote.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { createTestClient, encodeFunctionData, http, keccak256, parseEther, publicActions, toHex, walletActions, type Abi, type Address, type Hex } from "viem";
import { foundry } from "viem/chains";
import { contributionLedgerAbi, corexGovernorAbi, cxtTokenAbi, stakingAbi, taskManagerAbi, timelockControllerAbi } from "@/contracts-abi";
import type { Deployment } from "@/lib/chain";
import { DEV_FAUCET, DEV_FAUCET_CXT } from "./contracts/deploy";

const demoNodes = [
  { kind: 0, uri: "corex://demo/gpu-node", reward: "150000", work: 2n * 10n ** 13n, stake: "120000" },
  { kind: 1, uri: "corex://demo/cpu-node", reward: "30000", work: 5n * 10n ** 11n, stake: "12000" },
  { kind: 3, uri: "corex://demo/browser-node", reward: "2500", work: 10n ** 9n, stake: "500" },
] as const;

export async function seedDemo(rpcUrl: string, deployment: Deployment, log: (s: string) => void = console.log): Promise<void> {
  const chain = { ...foundry, rpcUrls: { default: { http: [rpcUrl] } } };
  const client = createTestClient({ chain, mode: "anvil", transport: http(rpcUrl) }).extend(publicActions).extend(walletActions);
  const [coordinator, ...others] = await client.getAddresses();
  const a = deployment.contracts;
  const send = async (from: Address, address: Address, abi: Abi, functionName: string, args: readonly unknown[]) => {
    const hash = await client.writeContract({ account: from, chain, address, abi, functionName, args } as never);
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`seed: ${functionName} reverted`);
  };

  const nodeCount = (await client.readContract({ address: a.Staking.address, abi: stakingAbi, functionName: "nodeCount" })) as bigint;
  if (nodeCount > 0n) {
    log("the chain already has nodes, skipping");
    return;
  }

  const owners = others.slice(0, demoNodes.length);
  for (const [i, n] of demoNodes.entries()) await send(owners[i], a.Staking.address, stakingAbi, "registerNode", [n.kind, n.uri]);

  const leaves = demoNodes.map((n, i) => [owners[i], String(i + 1), parseEther(n.reward).toString(), n.work.toString()] as [string, string, string, string]);
  const tree = StandardMerkleTree.of(leaves, ["address", "uint256", "uint256", "uint256"]);
  const total = leaves.reduce((s, l) => s + BigInt(l[2]), 0n);
  const work = demoNodes.reduce((s, n) => s + n.work, 0n);
  await send(coordinator, a.ContributionLedger.address, contributionLedgerAbi, "postEpoch", [
    1n, keccak256(toHex("corex demo genesis credentials")), tree.root as Hex, total, work, leaves.length,
  ]);
  const window = (await client.readContract({ address: a.ContributionLedger.address, abi: contributionLedgerAbi, functionName: "challengeWindow" })) as bigint;
  await client.increaseTime({ seconds: Number(window) + 1 });
  await client.mine({ blocks: 1 });
  const claims = [...tree.entries()].map(([i, l]) => ({
    epoch: 1n, account: l[0] as Address, nodeId: BigInt(l[1]), cumulativeAmount: BigInt(l[2]), cumulativeWorkUnits: BigInt(l[3]), proof: tree.getProof(i) as Hex[],
  }));
  await send(coordinator, a.ContributionLedger.address, contributionLedgerAbi, "claimMany", [claims]);

  for (const [i, n] of demoNodes.entries()) {
    const amount = parseEther(n.stake);
    await send(owners[i], a.CXTToken.address, cxtTokenAbi, "approve", [a.Staking.address, amount]);
    await send(owners[i], a.Staking.address, stakingAbi, "stake", [BigInt(i + 1), amount]);
  }

  // The dev faucet's float: part of the GPU node owner's unstaked genesis reward (no CXT is minted for
  // it), and gas, since anvil funds only its first ten accounts.
  await send(owners[0], a.CXTToken.address, cxtTokenAbi, "transfer", [DEV_FAUCET, parseEther(DEV_FAUCET_CXT.toString())]);
  await client.setBalance({ address: DEV_FAUCET, value: parseEther("100") });

  // A proposal (a no-op timelock self-call: re-set its delay) so the governance pages have something to
  // show: the GPU node's owner (gold, 1.5× weight) votes for, the CPU node's owner against.
  const delay = (await client.readContract({ address: a.TimelockController.address, abi: timelockControllerAbi, functionName: "getMinDelay" })) as bigint;
  const targets = [a.TimelockController.address];
  const calldatas = [encodeFunctionData({ abi: timelockControllerAbi, functionName: "updateDelay", args: [delay] })];
  const description = "Demo: confirm the timelock delay";
  await send(owners[0], a.CorexGovernor.address, corexGovernorAbi, "propose", [targets, [0n], calldatas, description]);
  const proposalId = (await client.readContract({
    address: a.CorexGovernor.address, abi: corexGovernorAbi, functionName: "hashProposal", args: [targets, [0n], calldatas, keccak256(toHex(description))],
  })) as bigint;
  // Staking's governance clock is timestamps: the vote opens votingDelaySeconds after the proposal.
  await client.increaseTime({ seconds: deployment.config.votingDelaySeconds + 1 });
  await client.mine({ blocks: 1 });
  await send(owners[0], a.CorexGovernor.address, corexGovernorAbi, "castVoteWithReason", [proposalId, 1, "the default delay is fine"]);
  await send(owners[1], a.CorexGovernor.address, corexGovernorAbi, "castVote", [proposalId, 0]);
  log(`3 demo nodes, genesis epoch claimed (${Number(total / 10n ** 18n).toLocaleString("en")} CXT), stakes, ${DEV_FAUCET_CXT.toLocaleString("en")} CXT for the faucet and a governance proposal`);
}

/**
 * The demo jobs (lib/jobs/demo.ts): the MNIST one (the tuned one, or the small one for e2e) and, beside
 * the tuned one, the names language model — created through lib/jobs exactly as POST /api/jobs does
 * (shards in the blob store, canonical spec, spec hash), then their tasks are created on the dev chain
 * by the first demo node owner (1,000 CXT fee for MNIST, 100 CXT for names). The indexer mirrors the
 * tasks and the jobs turn active on first read. The e2e server's small seed stays MNIST only.
 */
export async function seedDemoJob(opts: { databaseUrl: string; rpcUrl: string; deployment: Deployment; blobDir: string; chainId: number; size?: "full" | "small"; log?: (s: string) => void }): Promise<void> {
  const log = opts.log ?? console.log;
  const { createPrismaClient } = await import("@/lib/db");
  const { fsBlobStore } = await import("@/lib/blobs/fs-store");
  const { createJob, createJobSchema, DEMO_MNIST_JOB, DEMO_NAMES_JOB, SMALL_DEMO_MNIST_JOB } = await import("@/lib/jobs");
  const db = createPrismaClient(opts.databaseUrl);
  try {
    if ((await db.job.count()) > 0) return log("jobs exist, skipping the demo jobs");
    const chain = { ...foundry, rpcUrls: { default: { http: [opts.rpcUrl] } } };
    const client = createTestClient({ chain, mode: "anvil", transport: http(opts.rpcUrl) }).extend(publicActions).extend(walletActions);
    const [, creator] = await client.getAddresses();
    const demos = [
      { title: "MNIST", job: opts.size === "small" ? SMALL_DEMO_MNIST_JOB : DEMO_MNIST_JOB, fee: parseEther("1000") },
      ...(opts.size === "small" ? [] : [{ title: "names language model", job: DEMO_NAMES_JOB, fee: parseEther("100") }]),
    ];
    for (const demo of demos) {
      const input = createJobSchema.parse({ ...demo.job, fee: demo.fee.toString() });
      const job = await createJob({ db, store: fsBlobStore(opts.blobDir), chainId: opts.chainId }, creator!, input);
      const a = opts.deployment.contracts;
      for (const [address, abi, functionName, args] of [
        [a.CXTToken.address, cxtTokenAbi, "approve", [a.TaskManager.address, demo.fee]],
        [a.TaskManager.address, taskManagerAbi, "createTask", [job.specHash, job.fragmentCount, demo.fee, 0, "0x0000000000000000000000000000000000000000", 0]],
      ] as const) {
        const hash = await client.writeContract({ account: creator!, chain, address, abi: abi as Abi, functionName, args } as never);
        if ((await client.waitForTransactionReceipt({ hash })).status !== "success") throw new Error(`seed: ${functionName} reverted`);
      }
      log(`demo ${demo.title} job ${job.id} (spec hash ${job.specHash.slice(0, 10)}…, ${job.fragmentCount} fragments) and its task`);
    }
  } finally {
    await db.$disconnect();
  }
}

/** The catalogue's first dataset (issue 24): published by anvil account #4 (neither a demo node owner nor the demo job's creator). */
export const DEMO_PROVIDER_INDEX = 4;

/**
 * Two interleaving half-moons, a classic toy for classifiers that a straight line cannot split: 600 points
 * from a fixed seed, with Gaussian-ish noise (the mean of three uniforms), rounded to 3 decimals.
 */
export function twoMoonsCsv(rows = 600, seed = 7): string {
  let state = seed >>> 0;
  const rand = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const noise = () => ((rand() + rand() + rand()) / 3 - 0.5) * 0.4;
  const lines = ["x,y,moon"];
  for (let i = 0; i < rows; i++) {
    const upper = i % 2 === 0;
    const a = Math.PI * rand();
    const x = upper ? Math.cos(a) : 1 - Math.cos(a);
    const y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
    lines.push(`${(x + noise()).toFixed(3)},${(y + noise()).toFixed(3)},${upper ? "upper" : "lower"}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * One published dataset so the catalogue is not empty on a fresh `npm run dev`: the two-moons CSV,
 * uploaded and published by a second account under CC0-1.0 with a 5 % fee share, through lib/datasets
 * exactly as POST /api/datasets and POST /api/datasets/{id}/publish store them. Skipped when one exists.
 */
export async function seedDemoDataset(opts: { databaseUrl: string; rpcUrl: string; blobDir: string; log?: (s: string) => void }): Promise<void> {
  const log = opts.log ?? console.log;
  const { createPrismaClient } = await import("@/lib/db");
  const { fsBlobStore } = await import("@/lib/blobs/fs-store");
  const { parseCsvBytes, publishDataset, publishDatasetSchema, saveUploadedDataset } = await import("@/lib/datasets");
  const db = createPrismaClient(opts.databaseUrl);
  try {
    if ((await db.dataset.count({ where: { publishedAt: { not: null } } })) > 0) return log("a published dataset exists, skipping the demo dataset");
    const chain = { ...foundry, rpcUrls: { default: { http: [opts.rpcUrl] } } };
    const client = createTestClient({ chain, mode: "anvil", transport: http(opts.rpcUrl) }).extend(publicActions).extend(walletActions);
    const provider = (await client.getAddresses())[DEMO_PROVIDER_INDEX]!;
    const store = fsBlobStore(opts.blobDir);
    const table = parseCsvBytes(new TextEncoder().encode(twoMoonsCsv()), "moon");
    const upload = await saveUploadedDataset(db, store, provider, { ...table, name: "two-moons.csv" });
    const terms = publishDatasetSchema.parse({
      title: "Two moons",
      license: "CC0-1.0",
      feeBps: 500,
      description: [
        "Two interleaving half-moons: **600 points**, two columns (`x`, `y`) and the label `moon` (`upper` or `lower`).",
        "",
        "A classic toy for classifiers: no straight line separates the moons, so a small MLP (one hidden layer of 8–16) beats a linear model.",
        "Generated from a fixed seed (`scripts/seed.ts` `twoMoonsCsv`) with a little noise; dedicated to the public domain.",
      ].join("\n"),
    });
    const published = await publishDataset({ db, store }, provider, upload.id, terms);
    log(`demo dataset "${published.title}" ${published.id} published by ${provider} (${published.license}, ${published.feeBps / 100}% fee share)`);
  } finally {
    await db.$disconnect();
  }
}
