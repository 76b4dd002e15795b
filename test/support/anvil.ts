import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "@/scripts/lib/processes";

export type AnvilInstance = {
  rpcUrl: string;
  port: number;
  chainId: number;
  stop(): Promise<void>;
};

const anvilBin = fileURLToPath(new URL("../../node_modules/.bin/anvil", import.meta.url));

async function waitForRpc(rpcUrl: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`anvil exited with ${child.exitCode}: ${stderr()}`);
    try {
      const res = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`anvil did not answer on ${rpcUrl}: ${stderr()}`);
}

/**
 * Starts a private anvil (chain id 31337, cancun) on a free port.
 * `--prune-history 4096`: logs of every block stay queryable (eth_getLogs from block 0 was checked),
 * and state stays readable for the last 4096 blocks, while nothing is written to ~/.foundry
 * (without pruning anvil persists every state to disk: 156 MB for 2,000 blocks).
 */
export async function startAnvil(opts: { blockTime?: number; chainId?: number } = {}): Promise<AnvilInstance> {
  const chainId = opts.chainId ?? 31337;
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId), "--hardfork", "cancun", "--prune-history", "4096", "--silent"];
    if (opts.blockTime) args.push("--block-time", String(opts.blockTime));
    const child = spawn(anvilBin, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    const rpcUrl = `http://127.0.0.1:${port}`;
    try {
      await waitForRpc(rpcUrl, child, () => err);
    } catch (e) {
      child.kill("SIGKILL");
      if (attempt < 3) continue; // port raced with another process
      throw e;
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    return {
      rpcUrl,
      port,
      chainId,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
        await exited;
        clearTimeout(timer);
      },
    };
  }
}
