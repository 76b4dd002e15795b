import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createWalletClient, http, parseAbi, type Address } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/test/support/db";
import { startEmbeddedPostgres } from "./db/embedded";
import { networkAddress } from "./lib/dev-origins";
import { freePort, rpcAnswers, waitFor } from "./lib/processes";

// `npm run dev` end to end on embedded defaults (PGlite + anvil + next dev), on private ports and a
// throw-away data folder: it must come up healthy and leave no process behind when interrupted.

const dirs: string[] = [];
const devs: ReturnType<typeof startDev>[] = [];
afterAll(async () => {
  // A failed test leaves its dev running: Ctrl-C it so that no app, chain or indexer outlives the run.
  for (const dev of devs) {
    if (dev.child.exitCode !== null || dev.child.signalCode !== null) continue;
    dev.child.kill("SIGINT");
    await Promise.race([dev.exited, new Promise((r) => setTimeout(r, 20_000))]);
  }
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function startDev(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let out = "";
  // As `npm run dev` starts it: node with tsx's loader (the tsx CLI SIGKILLs a child slow to take Ctrl-C).
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/dev.ts"], {
    // EPOCH_SECONDS: the epoch closer runs but posts nothing, so the only events between two runs are the test's.
    env: { ...process.env, DATABASE_URL: "", RPC_URL: "", EPOCH_SECONDS: "86400", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const dev = { child, output: () => out, exited };
  devs.push(dev);
  return dev;
}

type HealthBody = { status: string; database: { ok: boolean }; chain: { ok: boolean; chainId: number }; indexer: { ok: boolean; checkpoint: number | null } };

async function waitHealthy(dev: ReturnType<typeof startDev>, port: number): Promise<HealthBody> {
  const deadline = Date.now() + 240_000;
  while (!dev.output().includes("Corex Network is up")) {
    if (dev.child.exitCode !== null) throw new Error(`dev exited early:\n${dev.output()}`);
    if (Date.now() > deadline) {
      const last = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.text(), (e: Error) => e.message);
      throw new Error(`dev did not come up; last /api/health: ${last}\n${dev.output()}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  // The indexer may need a poll interval to catch up with the seeded blocks.
  let body: HealthBody | undefined;
  for (let i = 0; i < 30; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    body = (await res.json()) as HealthBody;
    if (res.status === 200) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return body!;
}

/** Processes whose command line mentions `needle` (our unique data folder or port). */
function processesMentioning(needle: string): string[] {
  const ps = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return ps.split("\n").filter((l) => l.includes(needle) && !l.includes("ps -eo"));
}

/** Path → sha256 and mtime of every file under contracts-abi/ (generated ABIs, deployment files). */
function abiFiles(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p, `${createHash("sha256").update(readFileSync(p)).digest("hex")} ${statSync(p).mtimeMs}`);
    }
  };
  walk(path.resolve("contracts-abi"));
  return out;
}

type EventRow = { id: string; block_number: string; tx_hash: string; log_index: number; event_name: string };

/** The raw events the dev indexer wrote, read from the kept PGlite data folder while dev is stopped. */
async function devEvents(dataDir: string): Promise<EventRow[]> {
  const db = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pglite"), port: await freePort() });
  const c = new pg.Client({ connectionString: db.url.replace(/[?&]connection_limit=\d+/, "") });
  try {
    await c.connect();
    const { rows } = await c.query<EventRow>(`SELECT id::text, block_number::text, tx_hash, log_index, event_name FROM chain_events ORDER BY chain_events.id`);
    return rows;
  } finally {
    await c.end().catch(() => {});
    await db.stop();
  }
}

/** Starts the dev chain from its kept state on its own, sends one token approval (an indexed event), stops it. */
async function approveOnKeptChain(dataDir: string): Promise<{ block: number }> {
  const port = await freePort();
  const anvil = spawn(path.resolve("node_modules/.bin/anvil"), ["--host", "127.0.0.1", "--port", String(port), "--chain-id", "31337", "--hardfork", "cancun",
    "--prune-history", "--state", path.join(dataDir, "anvil", "state.json"), "--silent"], { stdio: "ignore" });
  const exited = new Promise((r) => anvil.once("exit", r));
  try {
    const rpcUrl = `http://127.0.0.1:${port}`;
    // Loading a kept --state file takes a while on a loaded 2-core machine (the whole suite runs beside it).
    const t0 = Date.now();
    await waitFor("anvil", () => rpcAnswers(rpcUrl), 90_000);
    console.log(`[dev.int] kept chain (${statSync(path.join(dataDir, "anvil", "state.json")).size} B of state) answered in ${Date.now() - t0} ms`);
    const deployment = JSON.parse(readFileSync(path.join(dataDir, "deployments", "31337.json"), "utf8")) as { contracts: { CXTToken: { address: Address } } };
    const [account] = (await (await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_accounts", params: [] }) })).json()).result as Address[];
    const wallet = createWalletClient({ account, transport: http(rpcUrl) });
    // Empty blocks first: the restarted indexer must index them and the approval, nothing older.
    await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "anvil_mine", params: ["0x5"] }) });
    const blockNumber = async () => Number(((await (await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "eth_blockNumber", params: [] }) })).json()) as { result: string }).result);
    const before = await blockNumber();
    await wallet.writeContract({ chain: null, address: deployment.contracts.CXTToken.address, abi: parseAbi(["function approve(address,uint256) returns (bool)"]), functionName: "approve", args: [account, 12345n] });
    // Automine puts the approval in the next block, but the answer to the send can come before that
    // block is sealed (seen on a loaded machine): wait for the head to move (receipts of a
    // --prune-history chain are not kept, so there is no receipt to wait for).
    let head = before;
    await waitFor("the approval's block", async () => (head = await blockNumber()) > before, 20_000);
    return { block: head };
  } finally {
    anvil.kill("SIGTERM"); // anvil writes its --state file on the way out
    await exited;
  }
}

describe("npm run dev", () => {
  it("brings up database, chain, contracts, indexer and app, stops everything on Ctrl-C, and restarts on the kept data", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "corex-dev-"));
    dirs.push(dataDir);
    // Test isolation: a dev run keeps its deployment in DATA_DIR and leaves contracts-abi/ alone.
    const abiBefore = abiFiles();
    const [port, anvilPort, dbPort] = [await freePort(), await freePort(), await freePort()];
    const dev = startDev({ PORT: String(port), ANVIL_PORT: String(anvilPort), EMBEDDED_DB_PORT: String(dbPort), DATA_DIR: dataDir });
    const body = await waitHealthy(dev, port);
    expect(body).toMatchObject({ status: "ok", database: { ok: true }, chain: { ok: true, chainId: 31337 }, indexer: { ok: true } });
    expect(dev.output()).toContain("no deployment on this chain: deploying");
    expect(dev.output()).toContain("3 demo nodes");
    // The one URL to open, printed once everything is up.
    expect(dev.output()).toContain(`Open http://localhost:${port}`);
    // Served to this machine only unless --expose (issue 21): next dev pages show stack traces.
    expect(dev.output()).toContain("Served on 127.0.0.1 only");
    const lan = networkAddress();
    if (lan) {
      const reached = await fetch(`http://${lan}:${port}/api/health`).then(() => true, () => false);
      expect(reached, `the app answered at the network address ${lan}`).toBe(false);
    }
    expect(processesMentioning(`--port ${anvilPort}`).length).toBeGreaterThan(0);

    dev.child.kill("SIGINT");
    expect(await dev.exited).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(processesMentioning(`--port ${anvilPort}`)).toEqual([]);
    expect(processesMentioning(`-p ${port}`)).toEqual([]);
    for (const p of [port, anvilPort, dbPort]) {
      const inUse = await new Promise<boolean>((r) => {
        const s = net.connect(p, "127.0.0.1").once("connect", () => (s.destroy(), r(true))).once("error", () => r(false));
      });
      expect(inUse, `port ${p} still answers`).toBe(false);
    }

    expect(existsSync(path.join(dataDir, "deployments", "31337.json"))).toBe(true);
    expect(abiFiles()).toEqual(abiBefore);

    // A restart on the same data folder keeps chain and database: no new deployment, no new seed,
    // and the indexer resumes from its checkpoint. New blocks (one with an event) are added between
    // the runs, so a resume (old rows untouched, new ones added) differs from a re-index (every row
    // rewritten with new ids) and from no indexing at all.
    const eventsBefore = await devEvents(dataDir);
    expect(eventsBefore.length).toBeGreaterThan(0);
    const approval = await approveOnKeptChain(dataDir);
    expect(approval.block).toBeGreaterThan(body.indexer.checkpoint!);
    const [port2, anvilPort2, dbPort2] = [await freePort(), await freePort(), await freePort()];
    const again = startDev({ PORT: String(port2), ANVIL_PORT: String(anvilPort2), EMBEDDED_DB_PORT: String(dbPort2), DATA_DIR: dataDir });
    const health = await waitHealthy(again, port2);
    expect(health).toMatchObject({ status: "ok", indexer: { ok: true } });
    expect(health.indexer.checkpoint).toBeGreaterThanOrEqual(approval.block);
    expect(again.output()).toContain("deployment file matches the chain");
    expect(again.output()).not.toContain("deploying");
    expect(again.output()).not.toContain("demo nodes");
    expect(again.output()).not.toContain("sources changed");
    expect(again.output()).not.toContain("rebuilding the mirror");
    again.child.kill("SIGINT");
    expect(await again.exited).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
    const eventsAfter = await devEvents(dataDir);
    expect(eventsAfter.slice(0, eventsBefore.length)).toEqual(eventsBefore);
    expect(eventsAfter.slice(eventsBefore.length).map((e) => [Number(e.block_number), e.event_name])).toEqual([[approval.block, "Approval"]]);
    expect(abiFiles()).toEqual(abiBefore);
  }, 480_000);

  it("refuses a port that is already taken, with a message naming the variable", async () => {
    const server = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const taken = (server.address() as net.AddressInfo).port;
    try {
      const dev = startDev({ PORT: String(taken), DATA_DIR: path.join(os.tmpdir(), "corex-dev-unused") });
      expect(await dev.exited).toBe(1);
      expect(dev.output()).toContain(`Port ${taken} (Next.js app) is already in use`);
      expect(dev.output()).toContain("PORT");
    } finally {
      server.close();
    }
  }, 60_000);

  it("a bad variable stops the app and the indexer with a message naming it", async () => {
    const run = (cmd: string, args: string[], env: Record<string, string>) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        let out = "";
        // Own process group, so a server that wrongly keeps running is stopped with all its children.
        const child = spawn(cmd, args, { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
        child.stdout!.on("data", (d) => (out += d));
        child.stderr!.on("data", (d) => (out += d));
        const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 60_000);
        child.once("exit", (code) => (clearTimeout(timer), resolve({ code, out })));
      });
    // Its own database and a free port, like every other test: never the shared `postgres` database or 8545.
    const own = await createTestDatabase();
    const good = { DATABASE_URL: own.url, RPC_URL: `http://127.0.0.1:${await freePort()}` };
    try {
      // The app checks its environment when the server starts (instrumentation.ts), before any request.
      const app = await run(path.resolve("node_modules/.bin/next"), ["dev", "-p", String(await freePort())], { ...good, ADMIN_ADDRESSES: "0xnot-an-address" });
      expect(app.code, app.out).toBe(1);
      expect(app.out).toMatch(/Invalid server environment:\s+ADMIN_ADDRESSES\.0: must be a 0x-prefixed 20-byte address/);

      const indexer = await run(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/indexer.ts", "--once"], { ...good, INDEXER_CONCURRENCY: "many" });
      expect(indexer.code, indexer.out).toBe(1);
      expect(indexer.out).toMatch(/Invalid indexer environment:\s+INDEXER_CONCURRENCY: /);
    } finally {
      await own.drop();
    }
  }, 120_000);
});
