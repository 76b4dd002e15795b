/**
 * `npm run dev`: the whole network on one machine. Each part falls back to an embedded default
 * unless configured: Postgres (PGlite on loopback unless DATABASE_URL), the chain (anvil unless
 * RPC_URL), contracts (compiled when sources changed, deployed when the chain lacks them),
 * migrations, the indexer and the Next.js app. Ctrl-C stops every child.
 *
 * Flags: --prod serves a `next build` with `next start` instead of `next dev` (used by e2e);
 * --expose serves the app on every interface instead of 127.0.0.1 only (DEV_HOST).
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { assertPortFree, ProcessGroup, rpcAnswers, tsxScript, waitFor } from "./lib/processes";
import { devOriginAliases, networkAddress } from "./lib/dev-origins";
import { appListen, listenBanner } from "./lib/dev-host";
import { startEmbeddedPostgres } from "./db/embedded";
import { migrate } from "./db/migrate";
import { compileContracts } from "./contracts/compile";
import { ANVIL_DEPLOYER_KEY, DEFAULT_DEPLOYMENTS_DIR, DEV_FAUCET_INDEX, deployAll, deploymentMatchesChain } from "./contracts/deploy";
import { seedDemo, seedDemoDataset, seedDemoJob } from "./seed";
import { parseEnv } from "@/lib/config";
import { devEnvSchema, MAX_DEV_WORKERS } from "@/lib/config";
import { toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

// anvil's default accounts; seedDemo registers the demo CPU node (id 2) from account #2.
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
// seedDemo registers demo node i + 1 from anvil account #(i + 1). The demo job has two replicas per
// fragment and one owner may hold only one replica of a fragment, so it needs workers of two owners to
// train: DEV_WORKERS (default 2) CLI workers run for the demo nodes in this order.
const DEV_WORKER_NODES = [2, 3, 1];
if (DEV_WORKER_NODES.length !== MAX_DEV_WORKERS) throw new Error("lib/config/dev.ts MAX_DEV_WORKERS must match DEV_WORKER_NODES");

const root = process.cwd();
const prod = process.argv.includes("--prod");
// lib/config/dev.ts; what it passes on to its children is validated again by theirs.
const config = (() => {
  try {
    return parseEnv("dev", devEnvSchema);
  } catch (e) {
    console.error(`[dev] ${(e as Error).message}`);
    process.exit(1);
  }
})();
const env = {
  port: config.PORT,
  anvilPort: config.ANVIL_PORT,
  embeddedDbPort: config.EMBEDDED_DB_PORT,
  dataDir: path.resolve(config.DATA_DIR),
  databaseUrl: config.DATABASE_URL,
  rpcUrl: config.RPC_URL,
  blockTime: config.ANVIL_BLOCK_TIME,
  workers: config.DEV_WORKERS,
};
const listen = appListen(config.DEV_HOST, process.argv, env.port);

const group = new ProcessGroup();
const cleanups: (() => Promise<void>)[] = [];
const log = (part: string, msg: string) => console.log(`[dev] ${part.padEnd(9)} ${msg}`);

async function main() {
  const started = Date.now();
  await assertPortFree(env.port, "Next.js app", "PORT");
  if (!env.rpcUrl) await assertPortFree(env.anvilPort, "anvil dev chain", "ANVIL_PORT (or RPC_URL for an existing chain)");
  if (!env.databaseUrl) await assertPortFree(env.embeddedDbPort, "embedded Postgres", "EMBEDDED_DB_PORT (or DATABASE_URL for a real Postgres)");

  // Database
  let databaseUrl = env.databaseUrl;
  if (!databaseUrl) {
    const dir = path.join(env.dataDir, "pglite");
    await mkdir(dir, { recursive: true });
    log("database", `starting embedded Postgres (PGlite) in ${path.relative(root, dir)} …`);
    const pg = await startEmbeddedPostgres({ dataDir: dir, port: env.embeddedDbPort });
    cleanups.push(pg.stop);
    databaseUrl = pg.url;
  }
  log("database", redact(databaseUrl));

  // Chain
  let rpcUrl = env.rpcUrl;
  const localChain = !rpcUrl;
  if (!rpcUrl) {
    const stateDir = path.join(env.dataDir, "anvil");
    await mkdir(stateDir, { recursive: true });
    rpcUrl = `http://127.0.0.1:${env.anvilPort}`;
    // --state keeps blocks and logs across restarts (the indexer's checkpoint stays valid);
    // cancun + --prune-history keep anvil fast and small; 4096 recent states stay
    // readable in memory, so the watchtower (verify-epoch) can read stakes and tiers at a close block.
    const args = ["--host", "127.0.0.1", "--port", String(env.anvilPort), "--chain-id", "31337", "--hardfork", "cancun",
      "--prune-history", "4096", "--state", path.join(stateDir, "state.json"), "--silent"];
    if (env.blockTime) args.push("--block-time", String(env.blockTime));
    supervise({ name: "anvil", command: path.join(root, "node_modules", ".bin", "anvil"), args, onExit: "fatal" });
  }
  await waitFor(`chain at ${rpcUrl}`, () => rpcAnswers(rpcUrl), 20_000);
  log("chain", rpcUrl);

  // Contracts. The local chain is thrown away with the data folder, and so is its deployment file:
  // it lives there, never in the repository's contracts-abi/deployments (committed files for real chains).
  const deploymentsDir = localChain ? path.join(env.dataDir, "deployments") : (config.DEPLOYMENTS_DIR ?? DEFAULT_DEPLOYMENTS_DIR);
  let seeded: Awaited<ReturnType<typeof deployAll>> | undefined;
  if (await contractsStale()) {
    log("contracts", "sources changed: compiling …");
    await compileContracts();
    await mkdir(env.dataDir, { recursive: true });
    await writeFile(contractsStamp(), await sourcesHash());
  }
  if (await deploymentMatchesChain(rpcUrl, deploymentsDir)) {
    log("contracts", "deployment file matches the chain");
  } else if (localChain || config.DEV_AUTO_DEPLOY) {
    log("contracts", "no deployment on this chain: deploying …");
    const deployment = await deployAll({
      rpcUrl, deploymentsDir, unbondingSeconds: 120, challengeSeconds: 60,
      // Long enough that the seeded demo proposal is still open when someone arrives to vote on it.
      governance: localChain ? { votingPeriodSeconds: config.DEV_VOTING_PERIOD_SECONDS } : undefined,
      log: (s) => log("contracts", s) });
    if (localChain && config.DEV_SEED) {
      await seedDemo(rpcUrl, deployment, (s) => log("seed", s));
      seeded = deployment;
    }
  } else {
    throw new Error(`No deployment matches the chain at ${rpcUrl}. Run \`npm run contracts:deploy\` against it first (or set DEV_AUTO_DEPLOY=1).`);
  }

  // Schema
  await migrate(databaseUrl, (s) => log("migrate", s));
  const blobDir = config.BLOB_DIR ?? path.join(env.dataDir, "blobs");
  if (seeded) await seedDemoJob({ databaseUrl, rpcUrl, deployment: seeded, blobDir, chainId: 31337, size: config.DEV_DEMO_JOB, log: (s) => log("seed", s) });
  // The catalogue's first entry, published by a second account (issue 24).
  if (seeded) await seedDemoDataset({ databaseUrl, rpcUrl, blobDir, log: (s) => log("seed", s) });

  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    RPC_URL: rpcUrl,
    CHAIN_ID: config.CHAIN_ID !== undefined ? String(config.CHAIN_ID) : localChain ? "31337" : undefined,
    DEPLOYMENTS_DIR: deploymentsDir,
    NEXT_TELEMETRY_DISABLED: "1",
    BLOB_DIR: blobDir,
    // SIWE messages must name this origin (see docs/reference/configuration.md).
    APP_ORIGIN: config.APP_ORIGIN ?? `http://localhost:${env.port}`,
    // …and the other addresses this app answers at that next.config.ts already allows as dev origins
    // (127.0.0.1, the printed network address): sign-in works from each (lib/auth/context.ts).
    APP_ORIGIN_ALIASES: process.env.APP_ORIGIN_ALIASES ?? (config.APP_ORIGIN ? "" : devOriginAliases(env.port)),
  } as NodeJS.ProcessEnv;
  if (!childEnv.CHAIN_ID) childEnv.CHAIN_ID = String(await chainIdOf(rpcUrl));
  // The demo nodes have three owners and DEV_WORKERS runs two of them by default: a spot check, which
  // needs an owner with no replica of its fragment, would wait the full production default for node #1.
  if (localChain) childEnv.SPOT_CHECK_WAIT_S ??= "20";

  // Indexer: restarted with a back-off when it stops on a retryable failure.
  supervise({ name: "indexer", ...tsxScript("scripts/indexer.ts", localChain ? ["--rebuild-on-chain-reset"] : []), env: childEnv, onExit: backOff });
  // Coordinator (lib/scheduler): rounds, verification, aggregation, on-chain completion.
  supervise({ name: "coordinator", label: "coord", ...tsxScript("scripts/coordinator.ts"), env: childEnv, onExit: backOff });

  // Epoch closer (lib/epochs): on the local chain the deployer is the coordinator and epochs last minutes.
  if (localChain) {
    childEnv.COORDINATOR_PRIVATE_KEY ??= ANVIL_DEPLOYER_KEY;
    // The deploy gives SLASHER_ROLE to anvil account #8 (DEV_SLASHER): never the oracle's key.
    childEnv.SLASHER_PRIVATE_KEY ??= toHex(mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 8 }).getHdKey().privateKey!);
    // The faucet's key: a public anvil key whose account holds only the seed's dev CXT (lib/faucet).
    childEnv.DEV_FAUCET_PRIVATE_KEY ??= toHex(mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: DEV_FAUCET_INDEX }).getHdKey().privateKey!);
    childEnv.EPOCH_SECONDS ??= "120";
    childEnv.EPOCH_DEV_MINE ??= "1";
  }
  if (childEnv.COORDINATOR_PRIVATE_KEY) supervise({ name: "epochs", ...tsxScript("scripts/epochs.ts"), env: childEnv, onExit: { restartAfterMs: () => 5_000 } });
  else log("epochs", "COORDINATOR_PRIVATE_KEY is not set: no epoch closer");

  // App
  const next = path.join(root, "node_modules", ".bin", "next");
  supervise({ name: "app", command: next, args: [prod ? "start" : "dev", "-H", listen.host, "-p", String(env.port)], env: { ...childEnv, PORT: String(env.port) }, onExit: "fatal" });
  const appUrl = `http://localhost:${env.port}`;
  await waitFor("the app", async () => (await fetch(`${listen.internalUrl}/api/health`, { signal: AbortSignal.timeout(60_000) })).status < 500, 300_000, 1_000);

  // CLI workers for demo nodes of distinct owners, so the demo job trains on first start. Only on the
  // local dev chain, whose keys are anvil's well-known ones.
  if (localChain) for (const node of DEV_WORKER_NODES.slice(0, env.workers)) startDevWorker(childEnv, listen.internalUrl, node);

  // Next prints its own Local/Network lines; this is the one to open (with --expose every address of
  // this machine works: next.config.ts allows them all as dev origins).
  const lan = networkAddress();
  console.log(`\nCorex Network is up (${((Date.now() - started) / 1000).toFixed(1)} s)

  Open ${appUrl}
  ${listenBanner(listen, env.port, lan).join("\n  ")}

  app       ${appUrl}
  health    ${appUrl}/api/health
  metrics   ${appUrl}/api/metrics
  chain     ${rpcUrl} (chain id ${childEnv.CHAIN_ID}${localChain ? ", anvil" : ""})
  database  ${redact(databaseUrl)}${env.databaseUrl ? "" : " (embedded PGlite)"}
Press Ctrl-C to stop everything.\n`);
}

/**
 * What happens when a child exits while everything else runs: `fatal` stops everything (the chain and
 * the app are what the rest stands on), `log` only says so (a dev worker), a restart policy starts it
 * again after the delay it names for the restart (restarts count 1, 2, … while the child keeps failing
 * within a minute; one that ran longer restarts as number 0).
 */
type OnExit = "fatal" | "log" | { restartAfterMs: (restart: number) => number };

type ChildSpec = { name: string; label?: string; command: string; args: string[]; env?: NodeJS.ProcessEnv; onExit: OnExit };

/** The indexer and coordinator stop on failures a restart may fix: 2 s, 4 s, … up to 30 s (1 s after a long run). */
const backOff: OnExit = { restartAfterMs: (restart) => Math.min(30_000, 1_000 * 2 ** restart) };

/** The one way `npm run dev` starts a child: in the process group (stopped together), with an exit policy. */
function supervise(spec: ChildSpec, attempt = 0): ChildProcess {
  const child = group.spawn(spec.name, spec.command, spec.args, spec.env ? { env: spec.env } : {});
  const startedAt = Date.now();
  child.once("exit", (code) => {
    if (group.isStopping) return;
    const { onExit } = spec;
    const label = spec.label ?? spec.name;
    if (onExit === "fatal") return fatalExit(spec.name, code);
    if (onExit === "log") return log(label, `exited with code ${code} (the app keeps running)`);
    const restart = Date.now() - startedAt > 60_000 ? 0 : attempt + 1;
    const delay = onExit.restartAfterMs(restart);
    log(label, `exited with code ${code}; restarting in ${delay / 1000} s`);
    setTimeout(() => !group.isStopping && supervise(spec, restart), delay);
  });
  return child;
}

function startDevWorker(childEnv: NodeJS.ProcessEnv, appUrl: string, node: number) {
  const key = toHex(mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: node }).getHdKey().privateKey!);
  const cache = path.join(env.dataDir, node === 2 ? "worker-cache" : `worker-cache-${node}`);
  supervise({
    name: `worker${node}`,
    ...tsxScript("scripts/worker.ts", ["--api", appUrl, "--node", String(node), "--chain-id", "31337", "--poc", "128", "--cache", cache], { reactServer: false }),
    env: { ...childEnv, WORKER_KEY: key },
    onExit: "log",
  });
}

/**
 * Compiled artifacts are current when the sources hash to what they hashed to at the last compile
 * here (a stamp in the data folder). mtimes are no help: a fresh clone gives every file the same age.
 */
async function sourcesHash(): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (dir: string) => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith(".sol")) hash.update(p).update(await readFile(p));
    }
  };
  await walk(path.join(root, "contracts"));
  return hash.digest("hex");
}

const contractsStamp = () => path.join(env.dataDir, "contracts.sha256");

async function contractsStale(): Promise<boolean> {
  const stamp = await readFile(contractsStamp(), "utf8").catch(() => "");
  return stamp !== (await sourcesHash());
}

async function chainIdOf(rpcUrl: string): Promise<number> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
  });
  return Number(((await res.json()) as { result: string }).result);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");
}

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  log("dev", "stopping …");
  await group.stopAll();
  for (const c of cleanups.reverse()) await c().catch(() => {});
  process.exit(code);
}

function fatalExit(part: string, code: number | null) {
  if (group.isStopping) return;
  console.error(`[dev] ${part} exited unexpectedly (code ${code}); stopping everything.`);
  void shutdown(1);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch(async (err) => {
  console.error(`[dev] ${(err as Error).message}`);
  await shutdown(1);
});
