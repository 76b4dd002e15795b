// `npm run bench:soak`: does a production build leak under steady mixed use? (Issue 21: the dev server
// held 5.7 GB resident after an hour.) The stack is bench:load's (scripts/bench/lib/load-stack.ts: a
// fresh database, anvil with the contracts, BENCH_SOAK_WORKERS nodes of as many owners with delegated
// session keys, the indexer, Iris jobs with round 0 open) with one `next start`, driven for
// BENCH_SOAK_MINUTES by a steady mix through the real HTTP API:
//   workers     bench:load's simulated workers: claim → heartbeat every third of the lease → EIP-712
//               signed result after a uniform 10–30 s → claim again
//   page views  GET /, /jobs, /nodes, /jobs/{id} in turn, one every PAGE_MS
//   uploads     a small generated CSV (POST /api/datasets, multipart, named by x-upload-id, then its
//               GET /api/datasets/uploads/{id}) from one of UPLOADERS owners signed in by SIWE over HTTP
//               (nonce → verify → session cookie); spaced so that a run stays within the upload rate
//               limit (20 an hour per client)
// Every SAMPLE_MS the resident memory of `next start` is sampled (VmRSS summed over its process group:
// Next's CLI and any process it forks).
//
//   soak <minutes> min: rss start <MB> MB, end <MB> MB, slope <MB/h> MB/h, p99 <ms> ms, errors <n>
//
// start/end: the first and last sample. slope: least-squares fit over the samples after the first
// WARMUP of the run (start-up and JIT growth are not a leak). p99: over every request of the mix.
// errors: answers ≥ 500 and network errors. Answers the protocol expects (409 races, 429 rate limits,
// lost leases) are no errors: they are counted on the `answers` detail line. Goal (issue 21): no
// upward slope beyond noise, errors 0. The process exits 1 when errors > 0. Noise: a detail line gives
// the slope's standard error and each minute's lowest sample (the floor after GC) with their slope.
//
// Env: BENCH_SOAK_MINUTES (10), BENCH_SOAK_WORKERS (20), BENCH_SOAK_PORT, BENCH_SOAK_ANVIL_PORT (free
// ports), TEST_DATABASE_URL. Flags: --no-build reuses .next as it is.
// Wrap it: `flock /tmp/corex-heavy.lock npm run bench:soak`.
import { readdirSync, readFileSync } from "node:fs";
import type { PrivateKeyAccount } from "viem";
import { createSiweMessage } from "viem/siwe";
import { benchSoakEnvSchema, parseEnv } from "@/lib/config";
import { UPLOAD_ID_HEADER } from "@/lib/datasets";
import { freePort, ProcessGroup } from "@/scripts/lib/processes";
import { slope, slopeStdError, windowFloors } from "./lib/slope";
import { buildOnce, REDUNDANCY, SHARDS, startStack, type Stack } from "./lib/load-stack";
import { CHAIN_ID, errorCode, pct, request, SimWorker, sleep, type Instance, type WorkerSink } from "./lib/sim-worker";

const env = parseEnv("bench:soak", benchSoakEnvSchema);
const minutes = env.BENCH_SOAK_MINUTES;
const COMPUTE: [number, number] = [10, 30];
const PAGE_MS = 500;
const SAMPLE_MS = 5_000;
const WARMUP = 0.2;
const UPLOADERS = 3;
// The upload rate limit is 20 an hour per client, and every request here comes from one IP.
const UPLOADS_PER_HOUR = 15;
const BOUNDARY = "corex-bench-soak";
const log = (s: string) => console.log(`[bench] ${s}`);

// ── what the mix saw ──
const latencies: number[] = [];
/** "<kind> <status> <code>" → count, for every answer that is not a plain success. */
const answers = new Map<string, number>();
const failures = new Map<string, number>();
const done = new Map<string, number>();
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** Every request of the mix: `status` 0 is a network error (`code` its message). */
function record(kind: string, ms: number, status: number, code: string | null) {
  latencies.push(ms);
  if (status === 0 || status >= 500) bump(failures, `${kind} ${status || "network"} ${code ?? ""}`.trim());
  else if (status >= 300) bump(answers, `${kind} ${status} ${code ?? ""}`.trim());
  else bump(done, kind);
}

const sink: WorkerSink = {
  request: record,
  leased() {},
  released() {},
  empty() {
    bump(answers, "claim found no open slot");
  },
};

// ── resident memory of the app's process group (Linux /proc) ──
function groupRssMb(pgrp: number): number {
  let kb = 0;
  for (const d of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== pgrp) continue;
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${d}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

// ── the browser-side traffic ──
/** One timed request of the mix (keep-alive, as a browser's); null after a network error. */
async function timed(app: Instance, kind: string, method: string, pathname: string, headers: Record<string, string> = {}, body?: Buffer) {
  const t0 = performance.now();
  try {
    const r = await request(app.agent, app.port, method, pathname, headers, body);
    record(kind, performance.now() - t0, r.status, r.status < 300 ? null : errorCode(r));
    return r;
  } catch (e) {
    record(kind, performance.now() - t0, 0, (e as Error).message);
    return null;
  }
}

/** SIWE over HTTP, as the app's Connect button does: nonce → signed message → session cookie. */
async function signIn(app: Instance, account: PrivateKeyAccount): Promise<string> {
  const host = `127.0.0.1:${app.port}`;
  const nonceReply = await request(app.agent, app.port, "GET", "/api/auth/nonce", {});
  if (nonceReply.status !== 200) throw new Error(`nonce: ${nonceReply.status} ${errorCode(nonceReply)}`);
  const { nonce } = JSON.parse(nonceReply.body.toString()) as { nonce: string };
  const message = createSiweMessage({ address: account.address, chainId: CHAIN_ID, domain: host, uri: `http://${host}`, version: "1", nonce, issuedAt: new Date() });
  const body = Buffer.from(JSON.stringify({ message, signature: await account.signMessage({ message }) }));
  const verified = await request(app.agent, app.port, "POST", "/api/auth/verify", { "content-type": "application/json" }, body);
  const cookies = verified.headers["set-cookie"] ?? [];
  if (verified.status !== 200 || cookies.length === 0) throw new Error(`sign-in of ${account.address} failed: ${verified.status} ${errorCode(verified)}`);
  return cookies.map((c) => c.split(";")[0]).join("; ");
}

let uploadCount = 0;
/** A small CSV that differs per upload (4 features, 3 classes, 200 rows). */
function csvUpload(): Buffer {
  uploadCount++;
  let csv = "f0,f1,f2,f3,kind\n";
  for (let r = 0; r < 200; r++) csv += `${[0, 1, 2, 3].map(() => (Math.random() * 10).toFixed(3)).join(",")},k${(r + uploadCount) % 3}\n`;
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="label"\r\n\r\nkind\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="soak-${uploadCount}.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${BOUNDARY}--\r\n`,
  );
}

/** An upload as the New job page sends it: named by x-upload-id, its status read back afterwards. */
async function uploadOnce(app: Instance, cookie: string): Promise<void> {
  const body = csvUpload();
  const id = `soak-${process.pid}-${uploadCount}`;
  await timed(app, "upload", "POST", "/api/datasets", { cookie, [UPLOAD_ID_HEADER]: id, "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, body);
  await timed(app, "upload-status", "GET", `/api/datasets/uploads/${id}`, { cookie });
}

/** Runs `step` every `everyMs` until `until`, the first one at once. */
async function every(everyMs: number, until: number, step: () => Promise<unknown>): Promise<void> {
  while (Date.now() < until) {
    const t = Date.now();
    await step();
    await sleep(Math.max(0, Math.min(everyMs - (Date.now() - t), until - Date.now())));
  }
}

// ── the run ──
const group = new ProcessGroup();
const cleanups: (() => Promise<void>)[] = [];
let exitCode = 0;

async function drive(stack: Stack, jobId: string, cookies: string[]) {
  const app = stack.apps[0]!;
  const pages = ["/", "/jobs", "/nodes", `/jobs/${jobId}`];
  const durationMs = minutes * 60_000;
  const uploadMs = Math.max(8_000, Math.min(durationMs, 3_600_000) / UPLOADS_PER_HOUR);
  const workers = stack.owners.map((o, i) => new SimWorker(i, stack.nodeOf.get(o.address.toLowerCase())!, stack.sessionKeys[i]!, app, sink, { compute: COMPUTE, heartbeatSeconds: null }));
  const t0 = Date.now();
  const until = t0 + durationMs;
  const samples: Sample[] = [];
  log(`soak: ${workers.length} workers (claim → heartbeat every ${(stack.leaseSeconds / 3).toFixed(0)} s → result after ${COMPUTE.join("–")} s), a page view every ${PAGE_MS} ms, an upload every ${(uploadMs / 1000).toFixed(0)} s, rss every ${SAMPLE_MS / 1000} s, for ${minutes} min`);
  const running = workers.map((w, i) => sleep((i / workers.length) * 10_000).then(() => w.run()));
  let page = 0;
  let upload = 0;
  await Promise.all([
    every(SAMPLE_MS, until, async () => {
      samples.push({ s: (Date.now() - t0) / 1000, mb: groupRssMb(stack.appGroups[0]!), heapMb: await heapUsedMb(app) });
      if (samples.length % 12 === 1) log(`t ${samples.at(-1)!.s.toFixed(0)} s: rss ${samples.at(-1)!.mb.toFixed(0)} MB, ${latencies.length} requests`);
    }),
    every(PAGE_MS, until, () => timed(app, "page", "GET", pages[page++ % pages.length]!)),
    every(uploadMs, until, () => uploadOnce(app, cookies[upload++ % cookies.length]!)),
  ]);
  for (const w of workers) w.stop();
  await Promise.race([Promise.all(running), sleep(35_000)]);
  return samples;
}

type Sample = { s: number; mb: number; heapMb: number | null };

/**
 * The app's V8 heap in use (prom-client's `nodejs_heap_size_used_bytes` on /api/metrics), read beside
 * RSS: a leak in our code lifts the heap's floor; RSS alone also grows while V8 and the allocator size
 * their spaces. Not counted as a request of the mix.
 */
async function heapUsedMb(app: Instance): Promise<number | null> {
  const r = await request(app.agent, app.port, "GET", "/api/metrics", {}).catch(() => null);
  const m = r?.status === 200 ? /^corex_nodejs_heap_size_used_bytes (\S+)$/m.exec(r.body.toString()) : null;
  return m ? Number(m[1]) / 2 ** 20 : null;
}

function report(samples: Sample[]) {
  const settled = samples.filter((x) => x.s >= WARMUP * minutes * 60);
  const [xs, ys] = [settled.map((x) => x.s), settled.map((x) => x.mb)];
  const mbPerHour = slope(xs, ys) * 3600;
  const floors = windowFloors(xs, ys, 60);
  const floorPerHour = slope(floors.map((f) => f.x), floors.map((f) => f.y)) * 3600;
  const errors = [...failures.values()].reduce((a, b) => a + b, 0);
  const list = (m: Map<string, number>) => [...m].map(([k, v]) => `${k} ×${v}`).join(", ") || "none";
  log(`requests: ${latencies.length} (${list(done)} ok); rss samples ${samples.length} (slope over the ${settled.length} after the first ${WARMUP * 100} %)`);
  log(`answers the protocol expects: ${list(answers)}`);
  // Noise: RSS saws with each GC; a leak lifts the floors (each minute's lowest sample) as well as the fit.
  const heap = settled.filter((x) => x.heapMb !== null) as (Sample & { heapMb: number })[];
  const heapFloors = windowFloors(heap.map((x) => x.s), heap.map((x) => x.heapMb), 60);
  log(`heap used floor per minute ${heapFloors.map((f) => f.y.toFixed(0)).join(" ")} MB, floor slope ${(slope(heapFloors.map((f) => f.x), heapFloors.map((f) => f.y)) * 3600).toFixed(0)} MB/h`);
  log(`rss slope ${mbPerHour.toFixed(0)} ± ${(2 * slopeStdError(xs, ys) * 3600).toFixed(0)} MB/h (2 s.e.); floor per minute ${floors.map((f) => f.y.toFixed(0)).join(" ")} MB, floor slope ${floorPerHour.toFixed(0)} MB/h`);
  if (errors) log(`errors: ${list(failures)}`);
  console.log(`soak ${minutes} min: rss start ${samples[0]!.mb.toFixed(0)} MB, end ${samples.at(-1)!.mb.toFixed(0)} MB, slope ${mbPerHour.toFixed(0)} MB/h, p99 ${pct(latencies, 99).toFixed(0)} ms, errors ${errors}`);
  if (errors > 0) exitCode = 1;
}

async function main() {
  if (!process.argv.includes("--no-build")) buildOnce();
  const workers = env.BENCH_SOAK_WORKERS;
  // Enough replica slots for every worker's cycles (a third spare), plus one job's worth of margin.
  const slotsNeeded = Math.ceil(((workers * minutes * 60) / ((COMPUTE[0] + COMPUTE[1]) / 2)) * 1.3);
  const jobs = Math.ceil(slotsNeeded / (SHARDS * REDUNDANCY)) + 1;
  const stack = await startStack({
    name: "soak", nodes: workers, jobs, group, cleanups,
    appPorts: [env.BENCH_SOAK_PORT ?? (await freePort())], anvilPort: env.BENCH_SOAK_ANVIL_PORT,
  });
  const app = stack.apps[0]!;
  const jobId = (await stack.db.prisma.job.findFirstOrThrow({ select: { id: true } })).id;
  const cookies: string[] = [];
  for (const o of stack.owners.slice(0, UPLOADERS)) cookies.push(await signIn(app, o));
  log(`${cookies.length} owners signed in (SIWE over HTTP)`);
  report(await drive(stack, jobId, cookies));
  app.agent.destroy();
}

let finished = false;
async function shutdown() {
  if (finished) return;
  finished = true;
  await group.stopAll();
  for (const c of cleanups.reverse()) await c().catch((e) => console.error(`[bench] cleanup: ${(e as Error).message}`));
  process.exit(exitCode);
}
process.on("SIGINT", () => void shutdown());
main().catch((e) => {
  console.error(`[bench] ${(e as Error).stack ?? e}`);
  exitCode = 1;
}).finally(() => void shutdown());
