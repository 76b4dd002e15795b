/**
 * `npm run dev`: the whole network on one machine. Each part falls back to an embedded default
 * unless configured: Postgres (PGlite on loopback unless DATABASE_URL), the chain (anvil unless
 * RPC_URL), contracts (compiled when sources changed, deployed when the chain lacks them),
 * migrations, the indexer and the Next.js app. Ctrl-C stops every child.
 *
 * Flags: --prod serves a `next build` with `next start` instead of `next dev` (used by e2e).
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { assertPortFree, ProcessGroup, rpcAnswers, waitFor } from "./lib/processes";
import { networkAddress } from "./lib/dev-origins";
import { startEmbeddedPostgres } from "./db/embedded";
import { migrate } from "./db/migrate";
import { compileContracts } from "./contracts/compile";
import { ANVIL_DEPLOYER_KEY, DEFAULT_DEPLOYMENTS_DIR, deployAll, deploymentMatchesChain } from "./contracts/deploy";
import { seedDemo, seedDemoJob } from "./seed";
import { toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

// anvil's default accounts; seedDemo registers the demo CPU node (id 2) from account #2.
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
// seedDemo registers demo node i + 1 from anvil account #(i + 1). The demo job has two replicas per
// fragment and one owner may hold only one replica of a fragment, so it needs workers of two owners to
// train: DEV_WORKERS (default 2) CLI workers run for the demo nodes in this order.
const DEV_WORKER_NODES = [2, 3, 1];

const root = process.cwd();
const prod = process.argv.includes("--prod");
const env = {
  port: Number(process.env.PORT ?? 3000),
  anvilPort: Number(process.env.ANVIL_PORT ?? 8545),
  embeddedDbPort: Number(process.env.EMBEDDED_DB_PORT ?? 5433),
  dataDir: path.resolve(process.env.DATA_DIR ?? ".data"),
  databaseUrl: process.env.DATABASE_URL,
  rpcUrl: process.env.RPC_URL,
  blockTime: process.env.ANVIL_BLOCK_TIME ? Number(process.env.ANVIL_BLOCK_TIME) : undefined,
  workers: devWorkerCount(),
};

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
    // cancun + --prune-history keep anvil fast and small (see ENVIRONMENT.md); 4096 recent states stay
    // readable in memory, so the watchtower (verify-epoch) can read stakes and tiers at a close block.
    const args = ["--host", "127.0.0.1", "--port", String(env.anvilPort), "--chain-id", "31337", "--hardfork", "cancun",
      "--prune-history", "4096", "--state", path.join(stateDir, "state.json"), "--silent"];
    if (env.blockTime) args.push("--block-time", String(env.blockTime));
    const anvil = group.spawn("anvil", path.join(root, "node_modules", ".bin", "anvil"), args);
    anvil.once("exit", (code) => fatalExit("anvil", code));
  }
  await waitFor(`chain at ${rpcUrl}`, () => rpcAnswers(rpcUrl), 20_000);
  log("chain", rpcUrl);

  // Contracts. The local chain is thrown away with the data folder, and so is its deployment file:
  // it lives there, never in the repository's contracts-abi/deployments (committed files for real chains).
  const deploymentsDir = localChain ? path.join(env.dataDir, "deployments") : (process.env.DEPLOYMENTS_DIR ?? DEFAULT_DEPLOYMENTS_DIR);
  let seeded: Awaited<ReturnType<typeof deployAll>> | undefined;
  if (await contractsStale()) {
    log("contracts", "sources changed: compiling …");
    await compileContracts();
    await mkdir(env.dataDir, { recursive: true });
    await writeFile(contractsStamp(), await sourcesHash());
  }
  if (await deploymentMatchesChain(rpcUrl, deploymentsDir)) {
    log("contracts", "deployment file matches the chain");
  } else if (localChain || process.env.DEV_AUTO_DEPLOY === "1") {
    log("contracts", "no deployment on this chain: deploying …");
    const deployment = await deployAll({ rpcUrl, deploymentsDir, unbondingSeconds: 120, challengeSeconds: 60, log: (s) => log("contracts", s) });
    if (localChain && process.env.DEV_SEED !== "0") {
      await seedDemo(rpcUrl, deployment, (s) => log("seed", s));
      seeded = deployment;
    }
  } else {
    throw new Error(`No deployment matches the chain at ${rpcUrl}. Run \`npm run contracts:deploy\` against it first (or set DEV_AUTO_DEPLOY=1).`);
  }

  // Schema
  await migrate(databaseUrl, (s) => log("migrate", s));
  const blobDir = process.env.BLOB_DIR ?? path.join(env.dataDir, "blobs");
  if (seeded) await seedDemoJob({ databaseUrl, rpcUrl, deployment: seeded, blobDir, chainId: 31337, size: demoJobSize(), log: (s) => log("seed", s) });

  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    RPC_URL: rpcUrl,
    CHAIN_ID: process.env.CHAIN_ID ?? (localChain ? "31337" : undefined),
    DEPLOYMENTS_DIR: deploymentsDir,
    NEXT_TELEMETRY_DISABLED: "1",
    BLOB_DIR: blobDir,
    // SIWE messages must name this origin (see README → Configuration).
    APP_ORIGIN: process.env.APP_ORIGIN ?? `http://localhost:${env.port}`,
  } as NodeJS.ProcessEnv;
  if (!childEnv.CHAIN_ID) childEnv.CHAIN_ID = String(await chainIdOf(rpcUrl));
  // The demo nodes have three owners and DEV_WORKERS runs two of them by default: a spot check, which
  // needs an owner with no replica of its fragment, would wait the full production default for node #1.
  if (localChain) childEnv.SPOT_CHECK_WAIT_S ??= "20";

  // Indexer: restarted with a back-off when it stops on a retryable failure.
  startIndexer(childEnv, localChain ? ["--rebuild-on-chain-reset"] : []);
  // Coordinator (lib/scheduler): rounds, verification, aggregation, on-chain completion.
  startCoordinator(childEnv);

  // Epoch closer (lib/epochs): on the local chain the deployer is the coordinator and epochs last minutes.
  if (localChain) {
    childEnv.COORDINATOR_PRIVATE_KEY ??= ANVIL_DEPLOYER_KEY;
    childEnv.EPOCH_SECONDS ??= "120";
    childEnv.EPOCH_DEV_MINE ??= "1";
  }
  if (childEnv.COORDINATOR_PRIVATE_KEY) startEpochs(childEnv);
  else log("epochs", "COORDINATOR_PRIVATE_KEY is not set: no epoch closer");

  // App
  const next = path.join(root, "node_modules", ".bin", "next");
  const app = group.spawn("app", next, [prod ? "start" : "dev", "-p", String(env.port)], { env: { ...childEnv, PORT: String(env.port) } });
  app.once("exit", (code) => fatalExit("app", code));
  const appUrl = `http://localhost:${env.port}`;
  await waitFor("the app", async () => (await fetch(`${appUrl}/api/health`, { signal: AbortSignal.timeout(60_000) })).status < 500, 300_000, 1_000);

  // CLI workers for demo nodes of distinct owners, so the demo job trains on first start. Only on the
  // local dev chain, whose keys are anvil's well-known ones.
  if (localChain) for (const node of DEV_WORKER_NODES.slice(0, env.workers)) startDevWorker(childEnv, appUrl, node);

  // Next prints its own Local/Network lines; this is the one to open (every address of this machine
  // works: next.config.ts allows them all as dev origins).
  const lan = networkAddress();
  console.log(`\nCorex Network is up (${((Date.now() - started) / 1000).toFixed(1)} s)

  Open ${appUrl}${lan ? `  (from another machine: http://${lan}:${env.port})` : ""}

  app       ${appUrl}
  health    ${appUrl}/api/health
  metrics   ${appUrl}/api/metrics
  chain     ${rpcUrl} (chain id ${childEnv.CHAIN_ID}${localChain ? ", anvil" : ""})
  database  ${redact(databaseUrl)}${env.databaseUrl ? "" : " (embedded PGlite)"}
Press Ctrl-C to stop everything.\n`);
}

function startEpochs(childEnv: NodeJS.ProcessEnv) {
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const child = group.spawn("epochs", tsx, ["--conditions=react-server", "scripts/epochs.ts"], { env: childEnv });
  child.once("exit", (code) => {
    if (group.isStopping) return;
    log("epochs", `exited with code ${code}; restarting in 5 s`);
    setTimeout(() => !group.isStopping && startEpochs(childEnv), 5_000);
  });
}

/** DEV_DEMO_JOB: `full` (default) seeds the tuned demo job of README → Benchmarks, `small` the e2e server's 40-fragment one. */
function demoJobSize(): "full" | "small" {
  const v = process.env.DEV_DEMO_JOB ?? "full";
  if (v !== "full" && v !== "small") throw new Error(`DEV_DEMO_JOB must be "full" or "small", got "${v}"`);
  return v;
}

function devWorkerCount(): number {
  const raw = process.env.DEV_WORKERS ?? "2";
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > DEV_WORKER_NODES.length) {
    throw new Error(`DEV_WORKERS must be a whole number from 0 to ${DEV_WORKER_NODES.length} (CLI workers for the demo nodes), got "${raw}"`);
  }
  return n;
}

function startDevWorker(childEnv: NodeJS.ProcessEnv, appUrl: string, node: number) {
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const key = toHex(mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: node }).getHdKey().privateKey!);
  const cache = path.join(env.dataDir, node === 2 ? "worker-cache" : `worker-cache-${node}`);
  const child = group.spawn(`worker${node}`, tsx, ["scripts/worker.ts", "--api", appUrl, "--node", String(node), "--chain-id", "31337", "--poc", "128", "--cache", cache], {
    env: { ...childEnv, WORKER_KEY: key },
  });
  child.once("exit", (code) => !group.isStopping && log(`worker${node}`, `exited with code ${code} (the app keeps running)`));
}

function startIndexer(childEnv: NodeJS.ProcessEnv, flags: string[], attempt = 0) {
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const child = group.spawn("indexer", tsx, ["--conditions=react-server", "scripts/indexer.ts", ...flags], { env: childEnv });
  const startedAt = Date.now();
  child.once("exit", (code) => {
    if (group.isStopping) return;
    const next = Date.now() - startedAt > 60_000 ? 0 : attempt + 1;
    const delay = Math.min(30_000, 1_000 * 2 ** next);
    log("indexer", `exited with code ${code}; restarting in ${delay / 1000} s`);
    setTimeout(() => !group.isStopping && startIndexer(childEnv, flags, next), delay);
  });
}

function startCoordinator(childEnv: NodeJS.ProcessEnv, attempt = 0) {
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const child = group.spawn("coordinator", tsx, ["--conditions=react-server", "scripts/coordinator.ts"], { env: childEnv });
  const startedAt = Date.now();
  child.once("exit", (code) => {
    if (group.isStopping) return;
    const next = Date.now() - startedAt > 60_000 ? 0 : attempt + 1;
    const delay = Math.min(30_000, 1_000 * 2 ** next);
    log("coord", `exited with code ${code}; restarting in ${delay / 1000} s`);
    setTimeout(() => !group.isStopping && startCoordinator(childEnv, next), delay);
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
