// An embedded Postgres for `npm run dev`: PGlite (Postgres compiled to WebAssembly) served on
// 127.0.0.1 over the wire protocol by pglite-socket, data kept in `dataDir` across restarts.
// PGlite has a single backend: connections are queued and a transaction blocks the others, so the
// returned URL carries `connection_limit=1` (read by lib/db/url.ts) and concurrency tests need a
// real Postgres. Every dev process (app, indexer, coordinator, epochs) still has its own connection,
// and pglite-socket 0.2 interleaves them message by message: a statement split over two socket reads
// had another connection's Parse land between its Parse and Bind (wrong statement bound, replies on
// the wrong socket: "unnamed prepared statement does not exist", a worker's auth read answered with
// another query's rows). ExchangeQueue below runs each connection's messages up to Sync as one unit.
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedPostgres = { url: string; stop(): Promise<void> };

async function assertPortFree(port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const srv = createServer();
    srv.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === "EADDRINUSE"
            ? `port ${port} on ${host} is already in use: stop whatever listens there or choose another port for the embedded Postgres`
            : `cannot listen on ${host}:${port}: ${e.message}`,
        ),
      ),
    );
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port: number }): Promise<EmbeddedPostgres> {
  const host = "127.0.0.1";
  await assertPortFree(opts.port, host);
  mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir);
  const server = new PGLiteSocketServer({ db, host, port: opts.port, maxConnections: 64 });
  // Handlers take the server's queue when a connection arrives, so replacing it before start() is enough.
  (server as unknown as { queryQueue: ExchangeQueue }).queryQueue = new ExchangeQueue(db);
  try {
    await server.start();
  } catch (e) {
    await db.close();
    throw e;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@${host}:${opts.port}/postgres?sslmode=disable&connection_limit=1`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}

type Job = { handlerId: number; bytes: Uint8Array; endsWithFlush: boolean; onData: (data: Uint8Array) => void; resolve: (n: number) => void; reject: (e: unknown) => void };

/**
 * pglite-socket's query queue, by exchange instead of by message: a connection's extended-protocol
 * messages (Parse, Bind, Describe, Execute, Close) are held until the message that ends the exchange
 * (Sync, a simple Query, Flush, Terminate, or a startup or authentication message) and then run
 * together under PGlite's lock, so no other connection's message can land in between and every
 * reply goes to the connection that asked. While PGlite is inside a transaction block, or an exchange
 * ended with Flush (its Sync still to come), only that connection's exchanges run, as in
 * pglite-socket's own queue.
 */
export class ExchangeQueue {
  private readonly held = new Map<number, Uint8Array[]>();
  private queue: Job[] = [];
  private processing = false;
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const parts = this.held.get(handlerId) ?? [];
    parts.push(message);
    if (HELD.has(message[0]!) && parts.length < MAX_HELD) {
      this.held.set(handlerId, parts);
      return Promise.resolve(0);
    }
    this.held.delete(handlerId);
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, bytes: concat(parts), endsWithFlush: message[0] === FLUSH, onData, resolve, reject });
      void this.process();
    });
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const i = this.owner === null ? 0 : this.queue.findIndex((j) => j.handlerId === this.owner);
        if (i === -1) break; // the pinned connection has nothing queued yet
        const [job] = this.queue.splice(i, 1);
        let sent = 0;
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(job!.bytes, { onRawData: (d) => ((sent += d.length), job!.onData(d)) }));
        } catch (e) {
          job!.reject(e);
          continue;
        }
        this.owner = this.db.isInTransaction() || job!.endsWithFlush ? job!.handlerId : null;
        job!.resolve(sent);
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.held.delete(handlerId);
    this.queue = this.queue.filter((j) => (j.handlerId === handlerId ? (j.reject(new Error("Handler disconnected")), false) : true));
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    await this.process();
  }
}

// Parse, Bind, Describe, Execute, Close: parts of an exchange that Sync (or Flush) completes.
const HELD = new Set([0x50, 0x42, 0x44, 0x45, 0x43]);
const FLUSH = 0x48;
// A client that never sends Sync must not make the server hold its messages without bound.
const MAX_HELD = 10_000;

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

