import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./lib/processes";

// `npm run dev` end to end on embedded defaults (PGlite + anvil + next dev), on private ports and a
// throw-away data folder: it must come up healthy and leave no process behind when interrupted.

const tsx = path.resolve("node_modules/.bin/tsx");
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function startDev(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let out = "";
  const child = spawn(tsx, ["--conditions=react-server", "scripts/dev.ts"], {
    env: { ...process.env, DATABASE_URL: "", RPC_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, output: () => out, exited };
}

type HealthBody = { status: string; database: { ok: boolean }; chain: { ok: boolean; chainId: number }; indexer: { ok: boolean; checkpoint: number | null } };

async function waitHealthy(dev: ReturnType<typeof startDev>, port: number): Promise<HealthBody> {
  const deadline = Date.now() + 240_000;
  while (!dev.output().includes("Corex Network is up")) {
    if (dev.child.exitCode !== null) throw new Error(`dev exited early:\n${dev.output()}`);
    if (Date.now() > deadline) throw new Error(`dev did not come up:\n${dev.output()}`);
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

describe("npm run dev", () => {
  it("brings up database, chain, contracts, indexer and app, stops everything on Ctrl-C, and restarts on the kept data", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "corex-dev-"));
    dirs.push(dataDir);
    const [port, anvilPort, dbPort] = [await freePort(), await freePort(), await freePort()];
    const dev = startDev({ PORT: String(port), ANVIL_PORT: String(anvilPort), EMBEDDED_DB_PORT: String(dbPort), DATA_DIR: dataDir });
    const body = await waitHealthy(dev, port);
    expect(body).toMatchObject({ status: "ok", database: { ok: true }, chain: { ok: true, chainId: 31337 }, indexer: { ok: true } });
    expect(dev.output()).toContain("no deployment on this chain: deploying");
    expect(dev.output()).toContain("3 demo nodes");
    // The one URL to open, printed once everything is up.
    expect(dev.output()).toContain(`Open http://localhost:${port}`);
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

    // A restart on the same data folder keeps chain and database: no new deployment, no new seed,
    // the indexer resumes from its checkpoint.
    const [port2, anvilPort2, dbPort2] = [await freePort(), await freePort(), await freePort()];
    const again = startDev({ PORT: String(port2), ANVIL_PORT: String(anvilPort2), EMBEDDED_DB_PORT: String(dbPort2), DATA_DIR: dataDir });
    const health = await waitHealthy(again, port2);
    expect(health).toMatchObject({ status: "ok", indexer: { ok: true } });
    expect(health.indexer.checkpoint).toBe(body.indexer.checkpoint);
    expect(again.output()).toContain("deployment file matches the chain");
    expect(again.output()).not.toContain("deploying");
    expect(again.output()).not.toContain("demo nodes");
    expect(again.output()).not.toContain("sources changed");
    again.child.kill("SIGINT");
    expect(await again.exited).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
  }, 420_000);

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
});
