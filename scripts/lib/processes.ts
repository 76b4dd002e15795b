import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import net from "node:net";
import { readFileSync } from "node:fs";
import path from "node:path";

/** Resolves true when nothing listens on host:port (we try to bind it ourselves). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.once("listening", () => server.close(() => resolve(true)));
    server.listen(port, host);
  });
}

export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new Error(`Port ${port} (${what}) is already in use. Stop whatever listens there or set ${envVar} to another port.`);
  }
}

/** A free port chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function rpcAnswers(rpcUrl: string): Promise<boolean> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(2_000),
  });
  return res.ok;
}

/**
 * The flags `npm start` gives `next start` (package.json is their one home), so benches run the app as
 * production does: `--keepAliveTimeout 65000` keeps an idle keep-alive socket open longer than any
 * client or proxy in front keeps it (see docs/guides/reverse-proxy.md).
 */
export function nextStartFlags(): string[] {
  const start = (JSON.parse(readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start ?? "";
  const flags = start.trim().split(/\s+/);
  if (flags[0] !== "next" || flags[1] !== "start") throw new Error(`package.json's start script is not \`next start …\`: ${start}`);
  return flags.slice(2);
}

/** The server's keep-alive timeout from `nextStartFlags()` (Node's default, 5 s, when none is given). */
export function appKeepAliveMs(): number {
  const flags = nextStartFlags();
  const i = flags.indexOf("--keepAliveTimeout");
  return i >= 0 ? Number(flags[i + 1]) : 5_000;
}

/**
 * A TypeScript script run by node with tsx's loader (`node --import tsx`), not by the `tsx` CLI: the
 * CLI relays SIGINT to its node child and, when the child has not acknowledged it within 30 ms (a
 * loaded machine), SIGKILLs it and exits 130, orphaning whatever that child had started (seen in CI:
 * `npm run dev` left `next dev` running after Ctrl-C). A plain node process gets the signal itself.
 */
export function tsxScript(script: string, args: string[] = [], opts: { reactServer?: boolean } = {}): { command: string; args: string[] } {
  return { command: process.execPath, args: ["--import", "tsx", ...(opts.reactServer === false ? [] : ["--conditions=react-server"]), script, ...args] };
}

/**
 * Children run in their own process group so that stopping one also stops what it spawned
 * (next dev's workers, tsx's node): `process.kill(-pid)` signals the whole group.
 */
export class ProcessGroup {
  private children: { name: string; child: ChildProcess }[] = [];
  private stopping = false;

  spawn(name: string, command: string, args: string[], opts: SpawnOptions & { prefix?: boolean } = {}): ChildProcess {
    const child = spawn(command, args, { ...opts, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const tag = `[${name}]`;
    const pipe = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
      let buf = "";
      stream?.on("data", (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split("\n");
        buf = lines.pop() ?? "";
        for (const line of lines) out.write(`${tag} ${line}\n`);
      });
    };
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    this.children.push({ name, child });
    return child;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** SIGINT then SIGKILL after a grace period (next start ignores SIGTERM for seconds). */
  async stopAll(graceMs = 5_000): Promise<void> {
    this.stopping = true;
    const deadline = Date.now() + graceMs;
    const alive = this.children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    await Promise.all(
      alive.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              signalGroup(child, "SIGKILL");
              resolve();
            }, graceMs);
            child.once("exit", () => {
              clearTimeout(timer);
              // Grandchildren may outlive their parent (npm's anvil wrapper exits on SIGINT at once while
              // the anvil binary is still writing its --state file): they get the rest of the grace
              // period, then the group is swept.
              void groupGone(child, deadline).then(() => {
                signalGroup(child, "SIGKILL");
                resolve();
              });
            });
            signalGroup(child, "SIGINT");
          }),
      ),
    );
  }
}

/** Resolves once no process of `child`'s group is left, or at `deadline`. */
async function groupGone(child: ChildProcess, deadline: number): Promise<void> {
  while (child.pid && Date.now() < deadline) {
    try {
      process.kill(-child.pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
