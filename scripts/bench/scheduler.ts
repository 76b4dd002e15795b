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
// Env: BENCH_FRAGMENTS (20000), BENCH_CONCURRENCY (32), BENCH_BATCH (500, graphile-worker's
// localQueue size), TEST_DATABASE_URL (server), DATABASE_POOL_MAX (ours' pool).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { Logger, run, makeWorkerUtils } from "graphile-worker";
import { createPrismaClient } from "@/lib/db";
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

async function ours(url: string) {
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
  // The app's pool, not graphile-worker's C + 2: the API serves every worker from its one pool.
  const db = createPrismaClient(url);
  const claimMs: number[] = [];
  let done = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async (_, w) => {
    const nodeId = BigInt(w + 1);
    const signer = `0x${(w + 1).toString(16).padStart(40, "0")}`;
    for (;;) {
      const t = performance.now();
      const slots = await claimSlots(db, 31337, nodeId, B);
      claimMs.push(performance.now() - t);
      if (slots.length === 0) return;
      const recorded = await recordResults(db, nodeId, slots.map((s) => ({ slotId: s.id, signer, signature: "0x", deltaSha256: s.id.replaceAll("-", ""), loss: 0.5 })));
      if (recorded.some((r) => r.status !== "accepted")) throw new Error("ours: a k = 1 result was not accepted by the result statement");
      done += recorded.length;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const [check] = await db.$queryRaw<{ accepted: bigint; results: bigint }[]>`
    SELECT (SELECT count(*) FROM fragments WHERE status = 'accepted') AS accepted, (SELECT count(DISTINCT slot_id) FROM fragment_results) AS results`;
  await db.$disconnect();
  if (Number(check!.accepted) !== N || done !== N || Number(check!.results) !== N) throw new Error(`ours: ${done} cycles, ${check!.accepted} accepted, ${check!.results} results for ${N} fragments`);
  return { perSecond: N / seconds, p50: pct(claimMs, 50), p99: pct(claimMs, 99), seconds, pool: parseDatabaseUrl(url).max };
}

async function graphile(url: string) {
  const pool = new pg.Pool({ connectionString: parseDatabaseUrl(url).connectionString, max: C + 2 });
  pool.on("error", () => {});
  const quiet = new Logger(() => () => {});
  const utils = await makeWorkerUtils({ pgPool: pool, logger: quiet });
  await utils.migrate();
  for (let i = 0; i < N; i += 5000) {
    await utils.addJobs(Array.from({ length: Math.min(5000, N - i) }, () => ({ identifier: "noop", payload: {} })));
  }
  await pool.query("VACUUM ANALYZE graphile_worker._private_jobs");
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
    },
    preset: { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  });
  await finished;
  // Completions are batched: wait until the queue table is empty, so both sides count committed work.
  const c = new pg.Client({ connectionString: parseDatabaseUrl(url).connectionString });
  await c.connect();
  while (Number((await c.query("SELECT count(*) AS n FROM graphile_worker._private_jobs")).rows[0].n) > 0) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - t0) / 1000;
  await c.end();
  await runner.stop();
  await utils.release();
  await pool.end();
  return { perSecond: N / seconds, seconds };
}

const a = await withDb(ours);
console.log(`ours (pool ${a.pool}): ${N} fragments, ${C} workers, batch ${B}: ${a.perSecond.toFixed(0)} fragments/s (${a.seconds.toFixed(2)} s), claim p50 ${a.p50.toFixed(1)} ms, p99 ${a.p99.toFixed(1)} ms`);
const g = await withDb(graphile);
console.log(`graphile-worker 0.18 (localQueue 500, batch delays 0, pool ${C + 2}): ${N} no-op jobs, concurrency ${C}: ${g.perSecond.toFixed(0)} jobs/s (${g.seconds.toFixed(2)} s)`);
console.log(`ratio ${(a.perSecond / g.perSecond).toFixed(2)}`);
process.exit(0);
