/**
 * `npm run worker -- --key <hex | keystore file> --api <url> [--node <id>]`: the volunteer worker for
 * servers and edge devices — the same loop as the /worker page (lib/worker) on the WebAssembly SIMD
 * path in Node. The key is the node owner's or a session key delegated for the node (/worker page).
 * Ctrl-C abandons the current fragment (its lease goes back to the pool) and exits; twice exits at once.
 *
 * Options: --node <id> (required: the node the key works for), --chain-id <id>
 * (default: the app's), --cache <dir> (default .data/worker-cache), --throttle <0.05…1>, --poc <n>
 * (prove capacity with an n×n Compute-PoC first; 0 = skip; default 256), --once (stop when no work),
 * --idle <ms> (wait between claims when there is no work; default 2000).
 * Env (lib/config/worker.ts): WORKER_KEY instead of --key (keeps the key off the process list);
 * WORKER_KEY_PASSWORD for a keystore file (else asked on the terminal).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { privateKeyToAccount } from "viem/accounts";
import { httpWorkerApi, proveCapacity, wasmBackend, WorkerRuntime, type WorkerSnapshot } from "@/lib/worker";
import { fsBlobCache } from "@/lib/worker";
import { parseEnv } from "@/lib/config";
import { workerEnvSchema } from "@/lib/config";
import { readKey } from "./worker/keystore";

const usage = `usage: npm run worker -- --key <0x… private key | key file | keystore v3 file> --api <url> --node <id> [--throttle 0.5] [--poc 256] [--cache dir] [--chain-id id] [--once] [--idle 2000]`;

async function main() {
  const env = parseEnv("worker", workerEnvSchema);
  const { values } = parseArgs({
    options: {
      key: { type: "string" }, api: { type: "string" }, node: { type: "string" }, "chain-id": { type: "string" },
      cache: { type: "string" }, throttle: { type: "string" }, poc: { type: "string" }, once: { type: "boolean" }, idle: { type: "string" }, help: { type: "boolean" },
    },
  });
  const keyArg = values.key ?? env.WORKER_KEY;
  if (values.help || !keyArg || !values.api) {
    console.log(usage);
    process.exit(values.help ? 0 : 2);
  }
  const api = values.api.replace(/\/$/, "");
  const account = privateKeyToAccount(await readKey(keyArg, env.WORKER_KEY_PASSWORD));
  const chainId = values["chain-id"] ? Number(values["chain-id"]) : await appChainId(api);
  if (!values.node || !/^[1-9][0-9]*$/.test(values.node)) {
    throw new Error(`pass --node <id>: a node registered by ${account.address} (see ${api}/nodes; register one there with Staking.registerNode), or the node a session key was delegated for`);
  }
  const nodeId = BigInt(values.node);
  const throttle = values.throttle ? Number(values.throttle) : 1;
  const idleMs = values.idle === undefined ? undefined : Number(values.idle);
  if (idleMs !== undefined && !(idleMs >= 10 && idleMs <= 600_000)) throw new Error("--idle must be in [10, 600000] ms");
  if (!(throttle > 0 && throttle <= 1)) throw new Error("--throttle must be in (0, 1]");
  const client = httpWorkerApi({ api, account, nodeId, chainId });
  const backend = wasmBackend();
  console.log(`worker ${account.address} for node ${nodeId} on chain ${chainId} at ${api} — ${backend.device.adapter}`);

  const pocN = values.poc === undefined ? 256 : Number(values.poc);
  if (pocN > 0) {
    try {
      const p = await proveCapacity(client, backend, nodeId, pocN);
      console.log(`Compute-PoC passed: n=${p.n} in ${p.elapsedMs} ms = ${(p.opsPerSecond / 1e9).toFixed(2)} Gop/s (wall-clock bound ${(p.wallOpsPerSecond / 1e9).toFixed(2)} Gop/s)${p.credited ? ", credited" : ", not credited: the node's one credited pass of this epoch is already recorded"}`);
    } catch (e) {
      console.log(`Compute-PoC: ${(e as Error).message}`);
      explain((e as Error).message, account.address, nodeId);
    }
  }

  let lastLine = "";
  let idleSince: number | null = null;
  const rt = new WorkerRuntime({
    api: client, backend, cache: fsBlobCache(path.resolve(values.cache ?? ".data/worker-cache")), throttle, idleMs,
    log: (line) => {
      console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
      explain(line, account.address, nodeId);
    },
    onUpdate: (s) => {
      const line = progressLine(s);
      if (line !== lastLine && process.stdout.isTTY) process.stdout.write(`\r${line.padEnd(100)}\r`);
      lastLine = line;
      if (values.once) {
        if (s.state === "waiting") idleSince ??= Date.now();
        else if (s.state !== "claiming") idleSince = null;
        if (idleSince !== null && s.state === "waiting") void rt.stop();
      }
    },
  });
  let firstInterrupt = 0;
  process.on("SIGINT", () => {
    // tsx relays the terminal's SIGINT as well: a repeat within a second is the same Ctrl-C.
    if (firstInterrupt && Date.now() - firstInterrupt > 1_000) process.exit(130);
    if (firstInterrupt) return;
    firstInterrupt = Date.now();
    console.log("\nstopping: abandoning the current fragment (Ctrl-C again to exit now) …");
    void rt.stop();
  });
  process.on("SIGTERM", () => void rt.stop());
  await rt.start();
  const s = rt.snapshot;
  console.log(`stopped: ${s.fragmentsDone} fragments submitted (${s.fragmentsAccepted} accepted so far), ${s.fragmentsAbandoned} abandoned, ${(s.flopsDone / 1e9).toFixed(1)} GFLOP`);
}

function progressLine(s: WorkerSnapshot): string {
  const c = s.current;
  const bar = c ? `[${"#".repeat(Math.round((20 * c.step) / c.steps)).padEnd(20, ".")}] r${c.round} s${c.shard} ${c.step}/${c.steps}` : "";
  const speed = s.lastGflops !== null ? ` ${s.lastGflops.toFixed(2)} GFLOP/s` : "";
  return `${s.state} ${bar} done ${s.fragmentsDone}${speed}`;
}

const hinted = new Set<string>();
/** Turns the API's refusals into what to do next, once each. */
function explain(message: string, address: string, nodeId: bigint) {
  const hint =
    /not registered|node_not_eligible/.test(message) && /not registered/.test(message)
      ? `node ${nodeId} is not registered: register a node from ${address} (Staking.registerNode on the /nodes page) and pass its id with --node`
      : /not active/.test(message)
        ? `node ${nodeId} is not active: stake CXT on it (the /nodes page) so it reaches a tier`
        : /barred|fault/.test(message)
          ? `node ${nodeId} is barred for faults; it cannot take work`
          : /x-corex-worker|not signed by/.test(message)
            ? `${address} is neither node ${nodeId}'s owner nor a live session key for it: delegate one on the /worker page (or use the owner's key)`
            : null;
  if (hint && !hinted.has(hint)) {
    hinted.add(hint);
    console.log(`  → ${hint}`);
  }
}

async function appChainId(api: string): Promise<number> {
  try {
    const h = (await (await fetch(`${api}/api/health`)).json()) as { chain?: { chainId?: number | null } };
    if (h.chain?.chainId) return h.chain.chainId;
  } catch {
    // fall through
  }
  throw new Error(`could not read the chain id from ${api}/api/health; pass --chain-id`);
}

main().catch((e) => {
  console.error(`worker: ${(e as Error).message}`);
  process.exit(1);
});
