import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import type { TestInfo } from "@playwright/test";

// anvil's well-known dev mnemonic: account #i's key is public knowledge, valid on the dev chain only.
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

/** anvil dev account #index: its address and private key. */
export function devKey(index: number): { address: `0x${string}`; key: `0x${string}` } {
  const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index });
  return { address: account.address, key: toHex(account.getHdKey().privateKey!) };
}

export type CliWorker = {
  readonly nodeId: string;
  /** everything it printed so far */
  output(): string;
  /** The first match of `pattern` in its output; rejects on a `refused` match or when it exits first. */
  waitForOutput(pattern: RegExp, refused?: RegExp): Promise<string>;
  /** Ctrl-C (abandons the fragment in hand), waits for the exit, removes its blob cache; idempotent. */
  stop(): Promise<number | null>;
};

/**
 * Starts the CLI worker (`npm run worker`, scripts/worker.ts) for `nodeId` with dev account #accountIndex's key against
 * the e2e app, as a node operator would on a server: the key passes through WORKER_KEY (off the
 * process list), a throw-away cache folder, a small Compute-PoC first.
 */
export function startCliWorker(opts: { accountIndex: number; nodeId: string; poc?: number }): CliWorker {
  const api = `http://localhost:${process.env.E2E_PORT ?? "3100"}`;
  const cache = mkdtempSync(path.join(os.tmpdir(), "corex-e2e-worker-"));
  const args = ["scripts/worker.ts", "--api", api, "--node", opts.nodeId, "--chain-id", "31337", "--poc", String(opts.poc ?? 64), "--cache", cache];
  // node with tsx as a loader, not the tsx CLI: Ctrl-C (SIGINT) reaches the worker itself, once.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", ...args], {
    env: { ...process.env, WORKER_KEY: devKey(opts.accountIndex).key },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let stopping: Promise<number | null> | null = null;
  return {
    nodeId: opts.nodeId,
    output: () => out,
    waitForOutput: (pattern, refused) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const hit = pattern.exec(out);
          if (hit) return done(() => resolve(hit[0]));
          if (refused?.test(out)) return done(() => reject(new Error(`the worker printed ${refused}:\n${out}`)));
        };
        const onExit = (code: number | null) => done(() => reject(new Error(`the worker exited (${code}) before printing ${pattern}:\n${out}`)));
        const done = (settle: () => void) => {
          child.stdout!.off("data", check);
          child.stderr!.off("data", check);
          child.off("exit", onExit);
          settle();
        };
        child.stdout!.on("data", check);
        child.stderr!.on("data", check);
        child.once("exit", onExit);
        check();
      }),
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
        // The worker abandons its lease and exits within a compute chunk; a stuck one is killed.
        const code = await Promise.race([exited, new Promise<"late">((r) => setTimeout(() => r("late"), 15_000))]);
        if (code === "late") {
          child.kill("SIGKILL");
          await exited;
        }
        rmSync(cache, { recursive: true, force: true });
        return code === "late" ? null : code;
      })();
      return stopping;
    },
  };
}

/**
 * Runs `during` while a CLI worker computes, then stops the worker and attaches its log to the test,
 * whether `during` passed or not (a failed wait is read with the worker's side of the story).
 */
export async function withCliWorker<T>(opts: Parameters<typeof startCliWorker>[0], testInfo: TestInfo, during: (worker: CliWorker) => Promise<T>): Promise<T> {
  const worker = startCliWorker(opts);
  try {
    return await during(worker);
  } finally {
    await worker.stop();
    await testInfo.attach(`cli-worker-${opts.nodeId}.log`, { body: worker.output(), contentType: "text/plain" });
  }
}
