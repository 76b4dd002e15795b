// `npm run bench:scheduler`: claim → result → accept cycles against real Postgres with C concurrent
// simulated workers (batched claims and results), and in the same run, on the same server,
// graphile-worker draining N no-op jobs at the same concurrency in the configuration its performance
// docs recommend (localQueue 500, completeJobBatchDelay 0, failJobBatchDelay 0, pool ≥ C + 2).
// What "ours" measures is the API's own database path: lib/scheduler claimSlots (the claim route's
// statement: SKIP LOCKED over the partial indexes, eligibility from the mirror, expired-lease
// reclaim) and recordResults (the result route's statement, here with a batch: slots → submitted,
// result rows, and the in-statement accept of fragments whose results agree — k = 1, no-op compute),
// on a pool sized as the app sizes its own (DATABASE_POOL_MAX, else 10: lib/db/url).
// EIP-712 recovery and blob writes happen before recordResults in the route and are not timed.
// Both queues are vacuumed and analysed after they are filled, so that neither side's timed run
// shares the machine with autovacuum working through the rows just queued (without this, a 200,000-job
// graphile-worker run measured a third of its vacuumed speed).
// Equal work (issue 26): graphile-worker again, on a database seeded exactly as ours, with one job per
// fragment whose task commits that fragment's lease, result row and accept (EQUAL_WORK_SQL); then
// `ours`, `graphile-worker equal work`, `equal-work ratio` and `headroom at 100000 workers` (ours ÷
// 5,000 fragments/s). Ours' CPU (this process + its Postgres backends, /proc) and WAL are printed too.
// Env: BENCH_FRAGMENTS (20000), BENCH_CONCURRENCY (32), BENCH_BATCH (500, graphile-worker's
// localQueue size), TEST_DATABASE_URL (server), DATABASE_POOL_MAX (ours' pool).
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { Logger, run, makeWorkerUtils } from "graphile-worker";
import { createPrismaClient, type PrismaClient } from "@/lib/db";
import { parseDatabaseUrl, withDatabase } from "@/lib/db";
import { claimSlots } from "@/lib/scheduler";
import { recordResults } from "@/lib/scheduler";
import { migrate } from "@/scripts/db/migrate";
import { benchSchedulerEnvSchema } from "@/lib/config";
import { parseEnv } from "@/lib/config";

const benchEnv = parseEnv("bench:scheduler", benchSchedulerEnvSchema);
const N = benchEnv.BENCH_FRAGMENTS;
const C = benchEnv.BENCH_CONCURRENCY;
const B = benchEnv.BENCH_BATCH;
const server = benchEnv.TEST_DATABASE_URL;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

async function withDb<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `corex_bench_sched_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: parseDatabaseUrl(server).connectionString });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    return await fn(withDatabase(server, name));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

/** One result row's values, the same bytes on both sides: a 65-byte signature and a 32-byte delta hash. */
const signerOf = (w: number) => `0x${(w + 1).toString(16).padStart(40, "0")}`;
const SIGNATURE = `0x${"ab".repeat(65)}`;
const deltaOf = (slotId: string) => `${slotId.replaceAll("-", "")}${"0".repeat(32)}`;

/** Our schema with N open fragments of one job, one compute slot each, and C active nodes; vacuumed. */
async function seedFragments(url: string) {
  await migrate(url, () => {});
  const seed = new pg.Client({ connectionString: parseDatabaseUrl(url).connectionString });
  await seed.connect();
  const jobId = randomUUID();
  await seed.query(`INSERT INTO nodes (chain_id, node_id, owner, kind, active, tier, metadata_uri, registered_at, stake, unbonding, slash_count, work_units, registered_block, updated_block)
    SELECT 31337, g, '0x' || lpad(to_hex(g), 40, '0'), 'cpu', true, 0, '', now(), 0, 0, 0, 0, 1, 1 FROM generate_series(1, ${C}) g`);
  await seed.query(`INSERT INTO fragments (id, job_id, round, shard, seed, weights_sha256, shard_sha256, work_units, quorum, status, spot_check)
    SELECT gen_random_uuid(), $1::uuid, 0, g, g, 'w', 's', 1000, 1, 'open', false FROM generate_series(0, ${N - 1}) g`, [jobId]);
  await seed.query(`INSERT INTO replica_slots (id, fragment_id, job_id, replica, kind, state, priority, min_tier, lease_ms)
    SELECT gen_random_uuid(), id, job_id, 0, 'compute', 'open', 1, 0, 60000 FROM fragments`);
  await seed.query("VACUUM ANALYZE nodes, fragments, replica_slots");
  await seed.end();
}

/** CPU seconds (user + system) of local processes by pid, from /proc (0 for one that is gone). */
async function cpuSecondsOf(pids: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
    // Fields after the parenthesised command: utime and stime are the 12th and 13th.
    const f = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
    out.set(pid, f ? (Number(f[11]) + Number(f[12])) / CLOCK_TICKS : 0);
  }
  return out;
}
const CLOCK_TICKS = 100;

/**
 * CPU a run costs, measured rather than inferred from wall time (the machine is shared): this
 * process's, plus that of the Postgres backends serving this database (their pids from
 * pg_stat_activity; Postgres on TEST_DATABASE_URL's host must be this machine, else only ours counts).
 */
async function cpuMeter(db: PrismaClient) {
  const backends = async () => (await db.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`).map((r) => r.pid);
  // Open the whole pool first, so that the backends serving the run exist before the clock.
  await Promise.all(Array.from({ length: 16 }, () => db.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.02)`));
  const pids0 = await backends();
  const pg0 = await cpuSecondsOf(pids0);
  const me0 = process.cpuUsage();
  return async () => {
    const me = process.cpuUsage(me0);
    const pids = [...new Set([...pids0, ...(await backends())])];
    const pg1 = await cpuSecondsOf(pids);
    const postgres = pids.reduce((a, pid) => a + Math.max(0, (pg1.get(pid) ?? 0) - (pg0.get(pid) ?? 0)), 0);
    return { node: (me.user + me.system) / 1e6, postgres };
  };
}

async function ours(url: string) {
  await seedFragments(url);
  // The app's pool, not graphile-worker's C + 2: the API serves every worker from its one pool.
  const db = createPrismaClient(url);
  const claimMs: number[] = [];
  let done = 0;
  // WAL written meanwhile (server-wide, so other databases' writes on a shared server count too: an upper bound).
  const lsn = async () => (await db.$queryRaw<{ lsn: string }[]>`SELECT pg_current_wal_lsn()::text AS lsn`)[0]!.lsn;
  const wal0 = await lsn();
  const cpu = await cpuMeter(db);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async (_, w) => {
    const nodeId = BigInt(w + 1);
    const signer = signerOf(w);
    for (;;) {
      const t = performance.now();
      const slots = await claimSlots(db, 31337, nodeId, B);
      claimMs.push(performance.now() - t);
      if (slots.length === 0) return;
      const recorded = await recordResults(db, nodeId, slots.map((s) => ({ slotId: s.id, signer, signature: SIGNATURE, deltaSha256: deltaOf(s.id), loss: 0.5 })));
      if (recorded.some((r) => r.status !== "accepted")) throw new Error("ours: a k = 1 result was not accepted by the result statement");
      done += recorded.length;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const used = await cpu();
  const [wal] = await db.$queryRaw<{ bytes: number }[]>`SELECT pg_wal_lsn_diff(${await lsn()}::pg_lsn, ${wal0}::pg_lsn)::float8 AS bytes`;
  const [check] = await db.$queryRaw<{ accepted: bigint; results: bigint }[]>`
    SELECT (SELECT count(*) FROM fragments WHERE status = 'accepted') AS accepted, (SELECT count(DISTINCT slot_id) FROM fragment_results) AS results`;
  await db.$disconnect();
  if (Number(check!.accepted) !== N || done !== N || Number(check!.results) !== N) throw new Error(`ours: ${done} cycles, ${check!.accepted} accepted, ${check!.results} results for ${N} fragments`);
  return { perSecond: N / seconds, p50: pct(claimMs, 50), p99: pct(claimMs, 99), seconds, pool: parseDatabaseUrl(url).max, walPerFragment: wal!.bytes / N, cpu: used };
}

type Fragment = { slot: string; fragment: string };

/**
 * One fragment's durable work as a graphile-worker task, in ONE autocommitted statement (so it is
 * committed before the task resolves and graphile-worker completes the job): the lease (the slot row
 * gets node, owner, lease deadline and its state, one write where ours writes it twice: leased, then
 * submitted), the result row (the same columns and values as ours) and the fragment's accept.
 */
const EQUAL_WORK_SQL = `
  WITH lease AS (
    UPDATE replica_slots s SET state = 'submitted', node_id = $3, owner = $4, claimed_at = now(),
      lease_deadline = now() + make_interval(secs => s.lease_ms / 1000.0), leases = s.leases + 1
    WHERE s.id = $1::uuid RETURNING s.id, s.fragment_id, s.job_id, s.replica, s.kind
  ), result AS (
    INSERT INTO fragment_results (id, slot_id, fragment_id, job_id, replica, kind, node_id, owner, signer, signature, delta_sha256, loss, work_units, status, verified_at)
    SELECT gen_random_uuid(), l.id, l.fragment_id, l.job_id, l.replica, l.kind, $3, $4, $4, $5, $6, 0.5, 1000, 'accepted', now() FROM lease l
  )
  UPDATE fragments f SET status = 'accepted', accepted_sha256 = $6, accepted_loss = 0.5, accepted_at = now()
  WHERE f.id = $2::uuid AND f.status = 'open'`;

/**
 * graphile-worker draining N jobs at concurrency C (pool C + 2, localQueue = the batch). "noop": the
 * task does nothing; "equal work": on a database with our schema seeded as for ours, each job is one
 * fragment and its task does EQUAL_WORK_SQL.
 */
async function graphile(url: string, mode: "noop" | "equal") {
  let fragments: Fragment[] = [];
  if (mode === "equal") {
    await seedFragments(url);
    const c = new pg.Client({ connectionString: parseDatabaseUrl(url).connectionString });
    await c.connect();
    fragments = (await c.query<Fragment>("SELECT id AS slot, fragment_id AS fragment FROM replica_slots")).rows;
    await c.end();
  }
  const pool = new pg.Pool({ connectionString: parseDatabaseUrl(url).connectionString, max: C + 2 });
  pool.on("error", () => {});
  // Quiet, except errors: a failed task would be retried later and the run would wait for it.
  const quiet = new Logger(() => (level, message) => {
    // (Not the pool's idle connections closed by DROP DATABASE … WITH (FORCE) after the run.)
    if (level === "error" && !/administrator command/.test(message)) console.error(`graphile-worker: ${message}`);
  });
  const utils = await makeWorkerUtils({ pgPool: pool, logger: quiet });
  await utils.migrate();
  for (let i = 0; i < N; i += 5000) {
    await utils.addJobs(Array.from({ length: Math.min(5000, N - i) }, (_, j) => (mode === "noop" ? { identifier: "noop", payload: {} } : { identifier: "fragment", payload: fragments[i + j]! })));
  }
  await pool.query("VACUUM ANALYZE graphile_worker._private_jobs");
  // Workers as in ours: node w + 1 of C (round-robin over the tasks in flight).
  let next = 0;
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const t0 = performance.now();
  const runner = await run({
    pgPool: pool,
    concurrency: C,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: quiet,
    taskList: {
      noop: async () => {
        if (++done === N) finish();
      },
      fragment: async (payload, helpers) => {
        const { slot, fragment } = payload as Fragment;
        const w = next++ % C;
        const r = await helpers.query(EQUAL_WORK_SQL, [slot, fragment, w + 1, signerOf(w), SIGNATURE, deltaOf(slot)]);
        if (r.rowCount !== 1) throw new Error(`equal work: fragment ${fragment} was not accepted`);
        if (++done === N) finish();
      },
    },
    preset: { worker: { localQueue: { size: B }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  });
  await finished;
  // Completions are batched: wait until the queue table is empty, so both sides count committed work.
  const c = new pg.Client({ connectionString: parseDatabaseUrl(url).connectionString });
  await c.connect();
  while (Number((await c.query("SELECT count(*) AS n FROM graphile_worker._private_jobs")).rows[0].n) > 0) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - t0) / 1000;
  if (mode === "equal") {
    const check = (await c.query("SELECT (SELECT count(*) FROM fragments WHERE status = 'accepted') AS accepted, (SELECT count(*) FROM fragment_results) AS results")).rows[0];
    if (Number(check.accepted) !== N || Number(check.results) !== N) throw new Error(`equal work: ${check.accepted} accepted, ${check.results} results for ${N} jobs`);
  }
  await c.end();
  await runner.stop();
  await utils.release();
  await pool.end();
  return { perSecond: N / seconds, seconds };
}

process.on("exit", (code) => code !== 0 && console.error(`bench:scheduler exits with code ${code}`));
const a = await withDb(ours);
console.log(`ours (pool ${a.pool}): ${N} fragments, ${C} workers, batch ${B}: ${a.perSecond.toFixed(0)} fragments/s (${a.seconds.toFixed(2)} s), claim p50 ${a.p50.toFixed(1)} ms, p99 ${a.p99.toFixed(1)} ms, WAL ≤ ${a.walPerFragment.toFixed(0)} B/fragment`);
// What the same work costs in CPU, whatever else the machine runs: per fragment, and the rate 2 idle cores would sustain.
const cpuPerFragment = (a.cpu.node + a.cpu.postgres) / N;
console.log(`ours CPU: bench process ${((a.cpu.node / N) * 1e6).toFixed(1)} µs + its Postgres backends ${((a.cpu.postgres / N) * 1e6).toFixed(1)} µs per fragment = ${(cpuPerFragment * 1e6).toFixed(1)} µs → ${(2 / cpuPerFragment).toFixed(0)} fragments/s on 2 idle cores`);
const g = await withDb((url) => graphile(url, "noop"));
console.log(`graphile-worker 0.18 (localQueue ${B}, batch delays 0, pool ${C + 2}): ${N} no-op jobs, concurrency ${C}: ${g.perSecond.toFixed(0)} jobs/s (${g.seconds.toFixed(2)} s)`);
console.log(`ratio ${(a.perSecond / g.perSecond).toFixed(2)}`);
const e = await withDb((url) => graphile(url, "equal"));
console.log(`graphile-worker 0.18 (localQueue ${B}, batch delays 0, pool ${C + 2}): ${N} equal-work jobs (lease, result row, accept; one statement each), concurrency ${C}: ${e.perSecond.toFixed(0)} jobs/s (${e.seconds.toFixed(2)} s)`);
console.log(`ours ${a.perSecond.toFixed(0)} fragments/s`);
console.log(`graphile-worker equal work ${e.perSecond.toFixed(0)} jobs/s`);
console.log(`equal-work ratio ${(a.perSecond / e.perSecond).toFixed(2)}`);
// 100,000 workers each finishing a fragment every 20–60 s: at most 100,000 / 20 = 5,000 fragments/s.
console.log(`headroom at 100000 workers ${(a.perSecond / 5000).toFixed(1)}×`);
process.exit(0);
