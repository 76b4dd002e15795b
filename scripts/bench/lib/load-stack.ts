// The stack bench:load and bench:soak drive: a fresh database on TEST_DATABASE_URL's server, anvil with
// the contracts deployed, N nodes registered on the chain by N distinct owners, the indexer mirroring
// them, one delegated session key per node (EIP-712, checked by lib/auth exactly as POST
// /api/auth/session-keys does), Iris jobs (k = 5, tasks on the chain, round 0 opened by lib/scheduler
// startActiveJobs) and `next start` instances on one DATABASE_URL. `next build` runs only when the
// build stamp differs from the working tree.
import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import {
  createPublicClient, createTestClient, createWalletClient, getAddress, http as viemHttp, keccak256, parseEther, toHex,
  parseGwei, type Hex, type PrivateKeyAccount, type PublicClient,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { stakingAbi, taskManagerAbi } from "@/contracts-abi";
import { delegationDomain, delegationTypes, registerSessionKey } from "@/lib/auth";
import { fsBlobStore } from "@/lib/blobs";
import { createJob, createJobSchema, syncJobsWithChain } from "@/lib/jobs";
import { startActiveJobs } from "@/lib/scheduler";
import { ANVIL_MNEMONIC, deployAll } from "@/scripts/contracts/deploy";
import { appKeepAliveMs, freePort, nextStartFlags, rpcAnswers, tsxScript, waitFor, type ProcessGroup } from "@/scripts/lib/processes";

/** How much sooner than the server a bench client drops an idle keep-alive socket. */
const CLIENT_IDLE_MARGIN_MS = 5_000;
import { createTestDatabase } from "@/test/support/db";
import { CHAIN_ID, pool, type Instance } from "./sim-worker";

export const SHARDS = 100; // Iris has 120 training rows
export const REDUNDANCY = 5;
const log = (s: string) => console.log(`[bench] ${s}`);
const since = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

// ── build (once per working tree) ──
/** What `next build` reads: tracked and untracked files, minus docs, tests and benchmarks (edits there keep the build). */
const BUILD_INPUTS = [".", ":(exclude)*.md", ":(exclude)*.test.ts", ":(exclude)e2e", ":(exclude)test", ":(exclude)scripts/bench"];

function treeStamp(): string {
  const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const h = createHash("sha256").update(git("ls-files", "-s", "--", ...BUILD_INPUTS)).update(git("diff", "HEAD", "--", ...BUILD_INPUTS));
  for (const f of git("ls-files", "--others", "--exclude-standard", "--", ...BUILD_INPUTS).split("\n").filter(Boolean).sort()) {
    h.update(f);
    // A worktree's node_modules is an untracked symlink to a folder: only files' contents count.
    if (existsSync(f) && statSync(f).isFile()) h.update(readFileSync(f));
  }
  return h.digest("hex");
}

export function buildOnce() {
  const stampFile = path.join(".next", "corex-build-stamp");
  const stamp = treeStamp();
  if (existsSync(path.join(".next", "BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
    log("next build: the build in .next is of this working tree, skipping");
    return;
  }
  log("next build …");
  const build = spawnSync("node_modules/.bin/next", ["build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error(`next build failed (${build.status})`);
  writeFileSync(stampFile, stamp);
}

export type StackOptions = {
  /** Seeds the owners' and session keys' private keys (distinct per bench). */
  name: string;
  nodes: number;
  jobs: number;
  appPorts: number[];
  anvilPort?: number;
  /** The apps write V8 CPU profiles there when they stop. */
  profileDir?: string;
  /**
   * Every slot's lease length, when the caller models fragments of a given size (the Iris fragments
   * themselves get leaseMsFor's floor of ~30 s); set before the apps start, so every claim sees it.
   */
  leaseMs?: number;
  group: ProcessGroup;
  /** Undone in reverse order when the bench ends. */
  cleanups: (() => Promise<void>)[];
};
type Chain = { rpcUrl: string; deployment: Awaited<ReturnType<typeof deployAll>>; publicClient: PublicClient; testClient: ReturnType<typeof createTestClient>; wallet: ReturnType<typeof createWalletClient> };
export type Stack = {
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  apps: Instance[];
  /** Process group ids of the `next start` instances (each its own group). */
  appGroups: number[];
  owners: PrivateKeyAccount[];
  sessionKeys: PrivateKeyAccount[];
  /** Lower-case owner address → its node id. */
  nodeOf: Map<string, bigint>;
  leaseSeconds: number;
};

async function startChain(group: ProcessGroup, anvilPort: number, deploymentsDir: string): Promise<Chain> {
  const rpcUrl = `http://127.0.0.1:${anvilPort}`;
  group.spawn("anvil", path.join("node_modules", ".bin", "anvil"), ["--host", "127.0.0.1", "--port", String(anvilPort), "--chain-id", String(CHAIN_ID), "--hardfork", "cancun", "--prune-history", "--silent"]);
  await waitFor(`anvil at ${rpcUrl}`, () => rpcAnswers(rpcUrl), 20_000);
  const deployment = await deployAll({ rpcUrl, deploymentsDir });
  const chain = { ...foundry, rpcUrls: { default: { http: [rpcUrl] } } };
  const transport = viemHttp(rpcUrl);
  return {
    rpcUrl, deployment,
    publicClient: createPublicClient({ chain, transport }) as PublicClient,
    testClient: createTestClient({ chain, mode: "anvil", transport }),
    wallet: createWalletClient({ chain, transport }),
  };
}

/** One node per owner (distinct owners: k replicas of a fragment need k owners). */
async function registerNodes(c: Chain, name: string, owners: PrivateKeyAccount[]): Promise<void> {
  const t = performance.now();
  await pool(owners, 16, (o) => c.testClient.setBalance({ address: o.address, value: parseEther("1") }));
  const staking = c.deployment.contracts.Staking.address;
  // Automine off while thousands of registrations arrive at once (automine left some pending for good),
  // then blocks are mined by hand until all are in; fees fixed well above the rising base fee.
  await c.testClient.setAutomine(false);
  await pool(owners, 16, async (o, i) => {
    await c.wallet.writeContract({
      account: o, chain: c.wallet.chain, address: staking, abi: stakingAbi, functionName: "registerNode", args: [1, `corex://bench/${name}/${i}`],
      gas: 300_000n, nonce: 0, maxFeePerGas: parseGwei("200"), maxPriorityFeePerGas: parseGwei("1"),
    });
  });
  const nodeCount = async () => (await c.publicClient.readContract({ address: staking, abi: stakingAbi, functionName: "nodeCount" })) as bigint;
  for (let blocks = 0; (await nodeCount()) < BigInt(owners.length); blocks++) {
    if (blocks > owners.length) throw new Error(`only ${await nodeCount()} of ${owners.length} registrations were mined`);
    await c.testClient.mine({ blocks: 1 });
  }
  await c.testClient.setAutomine(true);
  log(`${owners.length} nodes registered by ${owners.length} owners (${since(t)})`);
}

async function createJobs(c: Chain, db: Stack["db"], blobDir: string, jobCount: number): Promise<void> {
  const t = performance.now();
  const store = fsBlobStore(blobDir);
  const creator = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 1 });
  for (let j = 0; j < jobCount; j++) {
    const input = createJobSchema.parse({ dataset: "iris", hyper: { rounds: 1, shards: SHARDS, localSteps: 20, batch: 16, seed: j + 1 }, redundancy: REDUNDANCY, spotCheckRate: 0, fee: "0" });
    const job = await createJob({ db: db.prisma, store, chainId: CHAIN_ID }, creator.address, input);
    await c.wallet.writeContract({ account: creator, chain: c.wallet.chain, address: c.deployment.contracts.TaskManager.address, abi: taskManagerAbi, functionName: "createTask", args: [job.specHash as Hex, job.fragmentCount, 0n, 0, "0x0000000000000000000000000000000000000000", 0] });
  }
  log(`${jobCount} Iris jobs (${SHARDS} shards × k ${REDUNDANCY} = ${SHARDS * REDUNDANCY} slots each, ${jobCount * SHARDS * REDUNDANCY} in all) and their tasks (${since(t)})`);
}

/** One delegated session key per node, checked and stored by lib/auth (the session-keys route's code). */
async function delegateSessionKeys(c: Chain, db: Stack["db"], owners: PrivateKeyAccount[], sessionKeys: PrivateKeyAccount[]): Promise<Map<string, bigint>> {
  const t = performance.now();
  const nodes = await db.prisma.node.findMany({ select: { nodeId: true, owner: true } });
  const nodeOf = new Map(nodes.map((n) => [n.owner.toLowerCase(), n.nodeId]));
  const expiresAt = Math.floor(Date.now() / 1000) + 23 * 3600;
  await pool(owners, 8, async (o, i) => {
    const nodeId = nodeOf.get(o.address.toLowerCase())!;
    const sessionKey = getAddress(sessionKeys[i]!.address);
    const signature = await o.signTypedData({ domain: delegationDomain(CHAIN_ID), types: delegationTypes, primaryType: "SessionKeyDelegation", message: { sessionKey, nodeId, expiresAt: BigInt(expiresAt) } });
    await registerSessionKey({ db: db.prisma, client: c.publicClient, chainId: CHAIN_ID }, o.address, { sessionKey, nodeId: nodeId.toString(), expiresAt, signature });
  });
  log(`${owners.length} session keys delegated (${since(t)})`);
  return nodeOf;
}

function startApps(opts: StackOptions, appEnv: NodeJS.ProcessEnv): { apps: Instance[]; appGroups: number[] } {
  const apps: Instance[] = [];
  const appGroups: number[] = [];
  // (--cpu-prof is refused in NODE_OPTIONS, so node runs Next's CLI directly.)
  const profile = opts.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(opts.profileDir)}`] : [];
  for (const [i, port] of opts.appPorts.entries()) {
    const child = opts.group.spawn(`app-${i + 1}`, process.execPath, [...profile, path.join("node_modules", "next", "dist", "bin", "next"), "start", ...nextStartFlags(), "-p", String(port)], {
      env: { ...appEnv, PORT: String(port) },
    });
    appGroups.push(child.pid!);
    // Idle sockets close on the client's side first, as undici (the CLI worker's fetch) and proxies do:
    // a client that reuses a socket the server is closing gets ECONNRESET / "socket hang up" (issue 28).
    apps.push({ port, agent: new http.Agent({ keepAlive: true, maxSockets: 256, timeout: appKeepAliveMs() - CLIENT_IDLE_MARGIN_MS }) });
  }
  return { apps, appGroups };
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), `corex-bench-${opts.name}-`));
  opts.cleanups.push(() => rm(tmp, { recursive: true, force: true }));
  const blobDir = path.join(tmp, "blobs");
  const db = await createTestDatabase();
  opts.cleanups.push(() => db.drop());
  log(`database ${db.url.replace(/^.*\//, "")} on ${db.url.replace(/\/[^/]*$/, "")}`);

  const c = await startChain(opts.group, opts.anvilPort ?? (await freePort()), tmp);
  const key = (what: string, i: number) => privateKeyToAccount(keccak256(toHex(`corex bench:${opts.name} ${what} ${i}`)));
  const owners = Array.from({ length: opts.nodes }, (_, i) => key("owner", i));
  const sessionKeys = Array.from({ length: opts.nodes }, (_, i) => key("session key", i));
  await registerNodes(c, opts.name, owners);
  await createJobs(c, db, blobDir, opts.jobs);

  const appEnv: NodeJS.ProcessEnv = {
    ...process.env, DATABASE_URL: db.url, RPC_URL: c.rpcUrl, CHAIN_ID: String(CHAIN_ID), DEPLOYMENTS_DIR: tmp, BLOB_DIR: blobDir, NEXT_TELEMETRY_DISABLED: "1",
  };
  const indexer = tsxScript("scripts/indexer.ts");
  opts.group.spawn("indexer", indexer.command, indexer.args, { env: appEnv });
  const t = performance.now();
  await waitFor("the indexer's mirror", async () => (await db.prisma.node.count()) === opts.nodes && (await db.prisma.task.count()) === opts.jobs, 300_000, 500);
  await syncJobsWithChain(db.prisma);
  const started = await startActiveJobs({ db: db.prisma, store: fsBlobStore(blobDir), chainId: CHAIN_ID });
  if (started !== opts.jobs) throw new Error(`${started} of ${opts.jobs} jobs started`);
  if (opts.leaseMs !== undefined) await db.prisma.replicaSlot.updateMany({ data: { leaseMs: opts.leaseMs } });
  log(`indexer mirrored the nodes and tasks; round 0 of every job is open (${since(t)})`);
  const nodeOf = await delegateSessionKeys(c, db, owners, sessionKeys);

  const { apps, appGroups } = startApps(opts, appEnv);
  for (const a of apps) await waitFor(`next start on ${a.port}`, async () => (await fetch(`http://127.0.0.1:${a.port}/api/health`)).status < 500, 120_000, 500);
  log(`next start on port${apps.length > 1 ? "s" : ""} ${opts.appPorts.join(" and ")}, one database`);
  const leaseSeconds = (await db.prisma.replicaSlot.findFirstOrThrow({ select: { leaseMs: true } })).leaseMs / 1000;
  return { db, apps, appGroups, owners, sessionKeys, nodeOf, leaseSeconds };
}
