// An embedded Postgres for `npm run dev`: PGlite (Postgres compiled to WebAssembly) served on
// 127.0.0.1 over the wire protocol by pglite-socket, data kept in `dataDir` across restarts.
// PGlite has a single backend: connections are queued and a transaction blocks the others, so the
// returned URL carries `connection_limit=1` (read by lib/db/url.ts) and concurrency tests need a
// real Postgres.
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
