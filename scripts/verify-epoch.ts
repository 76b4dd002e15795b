/**
 * `npm run verify-epoch -- --api <url> --rpc <url> [--epoch n] [--ledger 0x…] [--dispute --key 0x… [--node id]]`
 *
 * A watchtower any node operator can run. It downloads an epoch's published trees and inputs from the
 * coordinator's API, recomputes the credentials root and every reward from the published rules
 * (lib/epochs/rules.ts) with stakes and tiers read from the CHAIN (Staked / UnstakeRequested / Slashed
 * logs, getNode at the close block) — never from the coordinator — and every task fee leaf from the
 * same credentials with the tasks read from TaskManager at the close block (checkFees), and compares
 * both roots and the total with what ContributionLedger holds. With --dispute it files a dispute (escrowing the bond) when
 * they differ and the challenge window is still open. Exit code: 0 consistent, 1 mismatch, 2 error.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { createPublicClient, createWalletClient, http, keccak256, parseAbiItem, toHex, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { sendTx } from "@/lib/chain";
import {
  CREDENTIAL_LEAF_ENCODING, EMPTY_CREDENTIALS_ROOT, canonicalEvidenceJson, EPOCH_RULES, computeFees, computeRewards, epochRoot, feesTree, parseCredentialLeaf, rewardsTree, stakeSeconds,
  type CredentialLeafInput, type FeeLeaf, type FeeTask, type RewardLeaf, type StakePoint,
} from "@/lib/epochs";
import { parseEnv } from "@/lib/config";
import { verifyEpochEnvSchema } from "@/lib/config";

export type VerifyOptions = { api: string; rpc: string; epoch?: bigint; ledger?: Address; dispute?: boolean; key?: Hex; nodeId?: bigint; log?: (s: string) => void };
/** `ledger`: the ledger the epoch was checked against (absent when the API published nothing to learn it from). */
export type VerifyResult = { epoch: bigint; ok: boolean; problems: string[]; disputeTx?: Hex; ledger?: Address };

type Dump = { values: { value: string[] }[]; leafEncoding: string[]; tree: string[]; format: string };
/** What an epoch publishes about task fees (EpochInputs of lib/epochs): the tasks its fee leaves pay from. */
export type FeeFacts = {
  /** TaskManager's address (its `ledger()` must be the epoch's ledger). */
  taskManager?: string;
  /** jobId → taskId of the jobs whose credentials earn fees. */
  jobs?: Record<string, string>;
  /** taskId → the task as the closer read it at the close block. */
  tasks?: Record<string, { fee: string; fragmentCount: number; creator: string; provider: string | null; providerFeeBps: number; closed: boolean }>;
};
type EpochTree = {
  epoch: number; ledger: Address; credentialsRoot: string; rewardsRoot: string; total: string; credentials: Dump | null; rewards: Dump; fees?: Dump | null;
  inputs: { rules: unknown; windowStart: number; windowEnd: number; closeBlock: string; baseEpoch: string; baseLeaves?: RewardLeaf[]; baseFeeLeaves?: FeeLeaf[] } & FeeFacts;
};

const stakeEvents = [
  parseAbiItem("event Staked(uint256 indexed nodeId, address indexed from, uint256 amount, uint256 newStake)"),
  parseAbiItem("event UnstakeRequested(uint256 indexed nodeId, uint256 amount, uint256 newStake, uint256 newUnbonding, uint64 releaseAt)"),
  parseAbiItem("event Slashed(uint256 indexed nodeId, address indexed slasher, uint16 bps, uint256 fromStake, uint256 fromUnbonding, uint256 newStake, uint256 newUnbonding, bytes32 evidenceHash)"),
] as const;

async function fetchTree(api: string, epoch: bigint): Promise<EpochTree | null> {
  const res = await fetch(`${api.replace(/\/$/, "")}/api/epochs/${epoch}/tree`);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET /api/epochs/${epoch}/tree: HTTP ${res.status}`);
  return (await res.json()) as EpochTree;
}

/** Stake history of every node up to `toBlock`, from the chain's logs. */
async function chainStakePoints(client: PublicClient, staking: Address, toBlock: bigint): Promise<StakePoint[]> {
  const logs = await client.getLogs({ address: staking, events: stakeEvents, fromBlock: 0n, toBlock });
  logs.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex! - b.logIndex! : Number(a.blockNumber! - b.blockNumber!)));
  const times = new Map<bigint, number>();
  const points: StakePoint[] = [];
  for (const l of logs) {
    if (!times.has(l.blockNumber!)) times.set(l.blockNumber!, Number((await client.getBlock({ blockNumber: l.blockNumber! })).timestamp));
    const args = l.args as { nodeId: bigint; newStake: bigint };
    points.push({ nodeId: args.nodeId, at: times.get(l.blockNumber!)!, stake: args.newStake });
  }
  return points;
}

export type Reader = <T>(address: Address, abi: unknown, functionName: string, args?: readonly unknown[], blockNumber?: bigint) => Promise<T>;
/** One verification: its options, the chain it reads and the problems found so far. */
type Check = { o: VerifyOptions; client: PublicClient; read: Reader; log: (s: string) => void; problems: string[] };
type OnChainEpoch = { credentialsRoot: Hex; rewardsRoot: Hex; total: bigint; credentialCount: number; status: number; postedAt: bigint };

/** The ledger's last posted epoch (the default when no --epoch is given). */
async function latestEpoch({ o, read }: Check): Promise<bigint> {
  if (o.ledger) return read<bigint>(o.ledger, contributionLedgerAbi, "lastEpoch");
  // The ledger's address from the first epoch the API publishes (epoch 1 may have been posted elsewhere, e.g. the dev seed).
  let probe: EpochTree | null = null;
  for (let n = 1n; n <= 3n && !probe; n++) probe = await fetchTree(o.api, n);
  if (!probe) throw new Error("no --ledger given and the API publishes none of epochs 1–3 to learn it from");
  return read<bigint>(probe.ledger, contributionLedgerAbi, "lastEpoch");
}

/** 1. The credentials root and count, recomputed from the published leaves. */
function checkCredentials({ problems }: Check, dump: EpochTree, onChain: OnChainEpoch, epoch: bigint): CredentialLeafInput[] {
  let credentials: CredentialLeafInput[] = [];
  if (dump.credentials) {
    if (JSON.stringify(dump.credentials.leafEncoding) !== JSON.stringify(CREDENTIAL_LEAF_ENCODING)) problems.push("credential leaf encoding differs from the published rules");
    const values = dump.credentials.values.map((v) => v.value);
    const root = StandardMerkleTree.of(values, [...CREDENTIAL_LEAF_ENCODING]).root;
    if (root.toLowerCase() !== onChain.credentialsRoot.toLowerCase()) problems.push(`credentials root: recomputed ${root}, chain ${onChain.credentialsRoot}`);
    credentials = values.map(parseCredentialLeaf);
    if (credentials.some((c) => c.epoch !== epoch)) problems.push("a credential leaf names another epoch");
  } else if (onChain.credentialsRoot.toLowerCase() !== EMPTY_CREDENTIALS_ROOT) problems.push(`no credentials published but the chain's credentials root is ${onChain.credentialsRoot}`);
  if (credentials.length !== Number(onChain.credentialCount)) problems.push(`credential count: published ${credentials.length}, chain ${onChain.credentialCount}`);
  return credentials;
}

/** The epoch root of reward and fee leaves (lib/epochs epochRoot: the reward tree's root when there are no fees). */
const rootOf = (rewards: readonly RewardLeaf[], fees: readonly FeeLeaf[]) => epochRoot(rewardsTree(rewards).root, feesTree(fees)?.root);

type Previous = { rewards: RewardLeaf[]; fees: FeeLeaf[] };

/** The cumulative reward and fee leaves the epoch builds on, checked against the base epoch's root on the chain. */
async function previousLeaves({ o, read, log, problems }: Check, ledger: Address, dump: EpochTree): Promise<Previous> {
  const baseEpoch = BigInt(dump.inputs.baseEpoch);
  if (baseEpoch <= 0n) return { rewards: [], fees: [] };
  const base = await fetchTree(o.api, baseEpoch);
  const baseChain = await read<{ rewardsRoot: Hex }>(ledger, contributionLedgerAbi, "getEpoch", [baseEpoch]);
  if (base) {
    const rewards = base.rewards.values.map((v) => v.value as RewardLeaf);
    const fees = (base.fees?.values ?? []).map((v) => v.value as FeeLeaf);
    if (rootOf(rewards, fees) !== baseChain.rewardsRoot.toLowerCase()) problems.push(`base epoch ${baseEpoch}'s published leaves do not match its root on the chain`);
    if (base.inputs.windowEnd !== dump.inputs.windowStart) problems.push(`window start ${dump.inputs.windowStart} is not the base epoch's end ${base.inputs.windowEnd}`);
    return { rewards, fees };
  }
  const rewards = dump.inputs.baseLeaves ?? [];
  const fees = dump.inputs.baseFeeLeaves ?? [];
  log(`base epoch ${baseEpoch} was not closed by this coordinator: checking the published base leaves against its root`);
  if (!rewards.length || rootOf(rewards, fees) !== baseChain.rewardsRoot.toLowerCase()) problems.push(`the base leaves published for epoch ${baseEpoch} do not match its root on the chain`);
  return { rewards, fees };
}

type TaskView = { creator: Address; fragmentCount: number; status: number; fee: bigint; provider: Address; providerFeeBps: number; specHash: Hex };
const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * Task fee leaves (F10), recomputed by the published fee rule (lib/epochs computeFees) from the epoch's
 * credentials, the base epoch's fee leaves and every task read from TaskManager AT THE CLOSE BLOCK (fee,
 * fragment count, creator, provider and share, closed or not), never from the coordinator: a fee leaf to
 * an account that did no accepted work, a share above the rule or a refund of a task still open shows up
 * as a leaf that differs. What stays the coordinator's word is which task a job belongs to (`jobs`):
 * checked one job per task, and against the spec hash the task committed when `specHashes` are given.
 */
export async function checkFees(
  read: Reader, ledger: Address, facts: FeeFacts, credentials: readonly CredentialLeafInput[], previous: readonly FeeLeaf[], published: readonly FeeLeaf[], closeBlock: bigint,
  specHashes?: ReadonlyMap<string, string>,
): Promise<{ problems: string[]; leaves: FeeLeaf[] }> {
  const problems: string[] = [];
  const jobs = new Map(Object.entries(facts.jobs ?? {}).map(([j, t]) => [j, BigInt(t)]));
  const tasks = new Map<bigint, FeeTask>();
  const taskIds = new Set([...jobs.values(), ...Object.keys(facts.tasks ?? {}).map(BigInt)]);
  if (new Set(jobs.values()).size !== jobs.size) problems.push("two jobs are mapped to one task");
  if (taskIds.size > 0) {
    const tm = facts.taskManager as Address | undefined;
    if (!tm) problems.push("fee facts name tasks but no TaskManager");
    else {
      const tmLedger = await read<Address>(tm, taskManagerAbi, "ledger");
      if (tmLedger.toLowerCase() !== ledger.toLowerCase()) problems.push(`TaskManager ${tm} settles against ${tmLedger}, not this ledger`);
      for (const id of taskIds) {
        const t = await read<TaskView>(tm, taskManagerAbi, "getTask", [id], closeBlock);
        if (t.status === 0) {
          problems.push(`task ${id} does not exist at the close block`);
          continue;
        }
        const task: FeeTask = {
          fee: t.fee, fragmentCount: Number(t.fragmentCount), creator: t.creator.toLowerCase(), provider: t.provider.toLowerCase() === ZERO ? null : t.provider.toLowerCase(),
          providerFeeBps: Number(t.providerFeeBps), closed: t.status !== 1,
        };
        const said = facts.tasks?.[id.toString()];
        if (said && (BigInt(said.fee) !== task.fee || said.fragmentCount !== task.fragmentCount || said.creator.toLowerCase() !== task.creator || (said.provider?.toLowerCase() ?? null) !== task.provider || said.providerFeeBps !== task.providerFeeBps || said.closed !== task.closed)) {
          problems.push(`task ${id}: the published facts differ from TaskManager at the close block`);
        }
        tasks.set(id, task);
      }
      for (const [job, id] of jobs) {
        const want = specHashes?.get(job);
        if (!want) continue;
        const t = await read<TaskView>(tm, taskManagerAbi, "getTask", [id], closeBlock);
        if (t.specHash.toLowerCase() !== want.toLowerCase()) problems.push(`job ${job}'s spec hash is not task ${id}'s`);
      }
    }
  }
  const { leaves } = computeFees({ credentials, jobs, tasks, previous });
  const key = (l: readonly string[]) => `${l[0]}:${l[1]}:${String(l[2]).toLowerCase()}`;
  const want = new Map(leaves.map((l) => [key(l), l[3]]));
  const got = new Map(published.map((l) => [key(l), String(l[3])]));
  for (const [k, amount] of got) {
    const expected = want.get(k);
    if (expected === undefined) problems.push(`fee leaf ${k} = ${amount}: the rule gives this account nothing (no accepted work, not the provider, not a closed task's creator)`);
    else if (expected !== amount) problems.push(`fee leaf ${k}: published ${amount}, recomputed ${expected}`);
  }
  for (const [k, amount] of want) if (!got.has(k)) problems.push(`fee leaf ${k} = ${amount} is missing`);
  return { problems, leaves };
}

/** Tier and owner of each node at the close block, from the chain. */
async function nodesAt({ read }: Check, staking: Address, nodeIds: Iterable<bigint>, closeBlock: bigint) {
  const tiers = new Map<bigint, number>();
  const owners = new Map<bigint, string>();
  for (const n of nodeIds) {
    const node = await read<{ owner: Address; tier: number }>(staking, stakingAbi, "getNode", [n], closeBlock).catch((e: Error) => {
      throw new Error(`the RPC has no state at the close block ${closeBlock} (use an archive node): ${e.message.split("\n")[0]}`);
    });
    tiers.set(n, Number(node.tier));
    owners.set(n, node.owner.toLowerCase());
  }
  return { tiers, owners };
}

type Posted = { ledger: Address; staking: Address; epoch: bigint; dump: EpochTree; onChain: OnChainEpoch; credentials: CredentialLeafInput[] };

/** 2. Rewards, from the rules, the previous leaves and the chain's stakes and tiers. */
async function checkRewards(c: Check, { ledger, staking, epoch, dump, onChain, credentials }: Posted) {
  const { client, read, problems } = c;
  if (canonicalEvidenceJson(dump.inputs.rules) !== canonicalEvidenceJson(EPOCH_RULES)) problems.push("the epoch names different reward rules than this watchtower's");
  const closeBlock = BigInt(dump.inputs.closeBlock);
  const closeTime = Number((await client.getBlock({ blockNumber: closeBlock })).timestamp);
  if (closeTime !== dump.inputs.windowEnd) problems.push(`window end ${dump.inputs.windowEnd} is not the close block's time ${closeTime}`);
  const previous = await previousLeaves(c, ledger, dump);
  const fees = await checkFees(read, ledger, dump.inputs, credentials, previous.fees, (dump.fees?.values ?? []).map((v) => v.value as FeeLeaf), closeBlock, await jobSpecHashes(c, dump.inputs.jobs));
  problems.push(...fees.problems);
  const points = await chainStakePoints(client, staking, closeBlock);
  const seconds = stakeSeconds(points, dump.inputs.windowStart, dump.inputs.windowEnd);
  const { tiers, owners } = await nodesAt(c, staking, new Set([...credentials.map((x) => x.nodeId), ...seconds.keys()]), closeBlock);
  for (const x of credentials) if (owners.get(x.nodeId) !== x.owner) problems.push(`credential ${x.id}: node ${x.nodeId} is not owned by ${x.owner}`);
  const cap = await read<bigint>(ledger, contributionLedgerAbi, "epochCap", [epoch]);
  const result = computeRewards({ pool: (cap * BigInt(EPOCH_RULES.emissionBps)) / 10_000n, credentials, tiers, owners, stakeSeconds: seconds, previous: previous.rewards });
  const root = rootOf(result.leaves, fees.leaves);
  if (root.toLowerCase() !== onChain.rewardsRoot.toLowerCase()) problems.push(`rewards root: recomputed ${root}, chain ${onChain.rewardsRoot}`);
  if (root.toLowerCase() !== dump.rewardsRoot.toLowerCase()) problems.push(`rewards root: recomputed ${root}, published ${dump.rewardsRoot}`);
  if (result.total !== onChain.total) problems.push(`total: recomputed ${result.total}, chain ${onChain.total}`);
  return { ...result, feeLeaves: fees.leaves.length };
}

/** The spec hash the API publishes for each job (GET /api/jobs/{id}); a job it does not publish is left out. */
async function jobSpecHashes({ o }: Check, jobs: Record<string, string> | undefined): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of Object.keys(jobs ?? {})) {
    const res = await fetch(`${o.api.replace(/\/$/, "")}/api/jobs/${id}`).catch(() => null);
    if (!res?.ok) continue;
    const body = (await res.json()) as { specHash?: string; job?: { specHash?: string } };
    const hash = body.specHash ?? body.job?.specHash;
    if (hash) out.set(id, hash);
  }
  return out;
}

/** 3. Disputes the epoch from the key's node (the first it owns unless --node), escrowing the bond. */
async function fileDispute({ o, client, read, log, problems }: Check, ledger: Address, staking: Address, epoch: bigint): Promise<Hex> {
  if (!o.key) throw new Error("--dispute needs --key");
  const account = privateKeyToAccount(o.key);
  const chain = { id: await client.getChainId(), name: "chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [o.rpc] } } };
  let nodeId = o.nodeId;
  if (nodeId === undefined) {
    const count = await read<bigint>(staking, stakingAbi, "nodeCount");
    for (let i = 1n; i <= count && nodeId === undefined; i++) if ((await read<Address>(staking, stakingAbi, "nodeOwner", [i])).toLowerCase() === account.address.toLowerCase()) nodeId = i;
    if (nodeId === undefined) throw new Error(`${account.address} owns no node: a dispute needs a staked node`);
  }
  const token = await read<Address>(ledger, contributionLedgerAbi, "token");
  const bond = await read<bigint>(ledger, contributionLedgerAbi, "disputeBond");
  const signer = { client, wallet: createWalletClient({ account, chain, transport: http(o.rpc) }) };
  if (bond > 0n) await sendTx(signer, { address: token, abi: cxtTokenAbi, functionName: "approve", args: [ledger, bond] });
  const reasonHash = keccak256(toHex(JSON.stringify({ epoch: epoch.toString(), problems })));
  const { hash } = await sendTx(signer, { address: ledger, abi: contributionLedgerAbi, functionName: "dispute", args: [epoch, nodeId, reasonHash] });
  log(`disputed epoch ${epoch} from node ${nodeId} (bond ${bond} wei, reason ${reasonHash}): ${hash}`);
  return hash;
}

export async function verifyEpoch(o: VerifyOptions): Promise<VerifyResult> {
  const log = o.log ?? console.log;
  const client = createPublicClient({ transport: http(o.rpc) }) as PublicClient;
  const read: Reader = (address, abi, functionName, args = [], blockNumber) =>
    client.readContract({ address, abi, functionName, args, blockNumber } as never) as never;
  const c: Check = { o, client, read, log, problems: [] };

  const epoch = o.epoch ?? (await latestEpoch(c));
  const dump = await fetchTree(o.api, epoch);
  if (!dump) return { epoch, ok: false, problems: [`the API publishes no trees for epoch ${epoch}`] };
  const ledger = o.ledger ?? dump.ledger;
  const staking = await read<Address>(ledger, contributionLedgerAbi, "staking");
  const onChain = await read<OnChainEpoch>(ledger, contributionLedgerAbi, "getEpoch", [epoch]);
  if (onChain.status === 0) return { epoch, ok: false, problems: [`epoch ${epoch} is not posted on the chain`], ledger };

  const credentials = checkCredentials(c, dump, onChain, epoch);
  const result = await checkRewards(c, { ledger, staking, epoch, dump, onChain, credentials });
  const { problems } = c;
  const ok = problems.length === 0;
  log(ok ? `epoch ${epoch}: consistent (${credentials.length} credentials, ${result.leaves.length} reward leaves, ${result.feeLeaves} fee leaves, total ${result.total})` : `epoch ${epoch}: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`);
  if (ok || !o.dispute) return { epoch, ok, problems, ledger };
  const disputeTx = await fileDispute(c, ledger, staking, epoch);
  return { epoch, ok, problems, disputeTx, ledger };
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv = process.argv.slice(2)) {
  const env = parseEnv("verify-epoch", verifyEpochEnvSchema);
  const api = arg(argv, "api");
  const rpc = arg(argv, "rpc");
  if (!api || !rpc) throw new Error("usage: npm run verify-epoch -- --api <url> --rpc <url> [--epoch n] [--ledger 0x…] [--dispute --key 0x… [--node id]]");
  const epoch = arg(argv, "epoch");
  const key = arg(argv, "key") ?? env.WATCHTOWER_KEY;
  if (key && !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("--key must be a 0x-prefixed 32-byte hex key");
  const node = arg(argv, "node");
  const ledger = arg(argv, "ledger");
  const r = await verifyEpoch({
    api, rpc, epoch: epoch ? BigInt(epoch) : undefined, ledger: ledger as Address | undefined, dispute: argv.includes("--dispute"), key: key as Hex | undefined, nodeId: node ? BigInt(node) : undefined,
  });
  process.exitCode = r.ok ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(`verify-epoch: ${(e as Error).message}`);
    process.exitCode = 2;
  });
}
