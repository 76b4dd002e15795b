// `npm run bench:load`: how many simulated workers two `next start` instances and one Postgres hold on
// this machine, through the real HTTP API. The bench sets everything up itself: a fresh database on
// TEST_DATABASE_URL's server, anvil with the contracts deployed, W_max nodes registered on the chain by
// W_max distinct owners, the indexer mirroring them, one delegated session key per node (EIP-712,
// checked by lib/auth exactly as POST /api/auth/session-keys does), enough jobs (Iris, k = 5, tasks on
// the chain, round 0 opened by lib/scheduler startActiveJobs), `next build` (skipped when the build
// stamp matches the working tree) and two `next start` instances on one DATABASE_URL.
//
// Each simulated worker (all in this process, one keep-alive connection pool per instance, workers
// spread over both instances) does what the CLI worker does over HTTP: claim (x-corex-worker WorkerAuth
// header signed by its session key) → heartbeat every third of the lease (as lib/worker does; 10 s here)
// or every BENCH_LOAD_HEARTBEAT_SECONDS while it "computes" for a uniform 20–60 s → EIP-712
// FragmentResult signed by its session key, delta as float32 bytes → claim again. No coordinator runs
// (verification and aggregation are outside the HTTP hot path).
//
// W rises step by step (new workers start spread over the first BENCH_LOAD_RAMP_SECONDS of a step).
// A step holds when its claim p99 ≤ 250 ms, no request failed, no lease was lost (a heartbeat or result
// of a live, heartbeating worker answered lease_expired / not_lease_holder / slot_closed) and no slot was
// held by two workers at once (worker-side: overlapping holds of one slot id). For each step that held:
//   held <W> workers: p99 claim <ms> ms, lost leases <n>, double-assigned <n>
// The first step that does not hold prints `limit <W> workers: …` with the reason and ends the ramp. At
// the end the database is checked too (`db check: …`): every slot's lease count equals the leases the
// workers saw, no slot has two results, no owner holds two replicas of a fragment.
//
// Env: BENCH_LOAD_STEPS (500,1000,1500,2000,2500,3000), BENCH_LOAD_STEP_SECONDS (60),
// BENCH_LOAD_RAMP_SECONDS (20), BENCH_LOAD_HEARTBEAT_SECONDS (a third of the lease), BENCH_LOAD_COMPUTE_SECONDS (20-60),
// BENCH_LOAD_LEASE_SECONDS (the Iris fragments' own ~30 s; 210 is what leaseMsFor gives a fragment that
// takes 60 s on its reference 20 MFLOP/s tab, i.e. fragments that really take the simulated 20–60 s),
// BENCH_LOAD_APP_PORTS (two free ports), BENCH_LOAD_ANVIL_PORT (free port), TEST_DATABASE_URL.
// Flags: --no-build reuses .next as it is. Wrap it: `flock /tmp/corex-heavy.lock npm run bench:load`.
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { benchLoadEnvSchema, parseEnv } from "@/lib/config";
import { freePort, ProcessGroup } from "@/scripts/lib/processes";
import { buildOnce, REDUNDANCY, SHARDS, startStack } from "./lib/load-stack";
import { LOST_CODES, pct, SimWorker, sleep, type WorkerSink } from "./lib/sim-worker";

const P99_LIMIT_MS = 250;
const benchEnv = parseEnv("bench:load", benchLoadEnvSchema);
const steps = benchEnv.BENCH_LOAD_STEPS;
const stepSeconds = benchEnv.BENCH_LOAD_STEP_SECONDS;
const rampSeconds = benchEnv.BENCH_LOAD_RAMP_SECONDS;
// Default: what the CLI and browser workers do (lib/worker/runtime: every third of the lease).
const heartbeatSeconds = benchEnv.BENCH_LOAD_HEARTBEAT_SECONDS ?? null;
const [computeMin, computeMax] = benchEnv.BENCH_LOAD_COMPUTE_SECONDS;
const timing = { compute: [computeMin, computeMax] as [number, number], heartbeatSeconds };
const maxWorkers = Math.max(...steps);

const log = (s: string) => console.log(`[bench] ${s}`);

// ── where the CPU goes (Linux /proc): per process group of the apps, Postgres, this process, the machine ──
const TICK = 100; // USER_HZ
function procTicks(match: (pid: number, comm: string, pgrp: number) => boolean): number {
  let total = 0;
  for (const d of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const f = stat.slice(close + 2).split(" ");
      if (match(Number(d), comm, Number(f[2]))) total += Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  }
  return total;
}
function machineTicks(): number {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return cpu.reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
}
type CpuSample = { at: number; apps: number[]; postgres: number; bench: number; machine: number };
function cpuSample(appGroups: number[]): CpuSample {
  const u = process.cpuUsage();
  return {
    at: performance.now(),
    apps: appGroups.map((g) => procTicks((_, __, pgrp) => pgrp === g)),
    postgres: procTicks((_, comm) => comm === "postgres"),
    bench: ((u.user + u.system) / 1e6) * TICK,
    machine: machineTicks(),
  };
}
function cpuLine(a: CpuSample, b: CpuSample): string {
  const s = (b.at - a.at) / 1000;
  const cores = (ticks: number) => (ticks / TICK / s).toFixed(2);
  const apps = b.apps.map((t, i) => t - a.apps[i]!);
  const known = apps.reduce((x, y) => x + y, 0) + (b.postgres - a.postgres) + (b.bench - a.bench);
  return `cpu (cores of ${os.cpus().length}): apps ${apps.map(cores).join(" + ")}, postgres (all databases) ${cores(b.postgres - a.postgres)}, bench workers ${cores(b.bench - a.bench)}, everything else ${cores(b.machine - a.machine - known)}`;
}

// ── what the workers saw ──
type Step = { w: number; claimMs: number[]; claims: number; empty: number; heartbeats: number; results: number; errors: Map<string, number>; lost: number };
const newStep = (w: number): Step => ({ w, claimMs: [], claims: 0, empty: 0, heartbeats: 0, results: 0, errors: new Map(), lost: 0 });
let step = newStep(0);
const countError = (what: string) => step.errors.set(what, (step.errors.get(what) ?? 0) + 1);
/** slot id → the worker holding it now (claim … result, lost lease or stop) */
const holder = new Map<string, number>();
/** slot id → leases the workers were granted on it */
const granted = new Map<string, number>();
let doubleAssigned = 0;

/** A step holds only with no failed request: every answer but the expected ones is an error here. */
const sink: WorkerSink = {
  request(kind, ms, status, code) {
    if (status === 0) return void countError(`${kind}: ${code}`);
    if (kind === "claim") step.claimMs.push(ms);
    if (kind === "claim" && status === 200) return;
    if (kind === "heartbeat" && status === 200) return void step.heartbeats++;
    if (kind === "result" && status === 201) return void step.results++;
    if (kind !== "claim" && LOST_CODES.has(code ?? "")) return void step.lost++;
    countError(`${kind} ${status} ${code}`);
  },
  leased(slotId, worker) {
    step.claims++;
    const other = holder.get(slotId);
    if (other !== undefined && other !== worker) doubleAssigned++;
    holder.set(slotId, worker);
    granted.set(slotId, (granted.get(slotId) ?? 0) + 1);
  },
  released(slotId, worker) {
    if (holder.get(slotId) === worker) holder.delete(slotId);
  },
  empty() {
    step.empty++;
  },
};

// ── set-up ──
const group = new ProcessGroup();
const cleanups: (() => Promise<void>)[] = [];
let exitCode = 0;

async function main() {
  if (!process.argv.includes("--no-build")) buildOnce();
  // Jobs: enough replica slots for every step (a worker uses one per 20–60 s) with a margin.
  const meanCycle = (computeMin + computeMax) / 2 + 1;
  const slotsNeeded = Math.ceil(steps.reduce((s, w) => s + (w * stepSeconds) / meanCycle, 0) * 1.3 + maxWorkers * 2);
  const jobCount = Math.ceil(slotsNeeded / (SHARDS * REDUNDANCY));
  // BENCH_LOAD_PROFILE_DIR: the apps write V8 CPU profiles there when they stop (for finding hot paths).
  const { db, apps, appGroups, owners, sessionKeys, nodeOf, leaseSeconds } = await startStack({
    name: "load", nodes: maxWorkers, jobs: jobCount, group, cleanups,
    appPorts: benchEnv.BENCH_LOAD_APP_PORTS ?? [await freePort(), await freePort()],
    anvilPort: benchEnv.BENCH_LOAD_ANVIL_PORT, profileDir: benchEnv.BENCH_LOAD_PROFILE_DIR,
    leaseMs: benchEnv.BENCH_LOAD_LEASE_SECONDS === undefined ? undefined : benchEnv.BENCH_LOAD_LEASE_SECONDS * 1000,
  });
  const beat = heartbeatSeconds ?? leaseSeconds / 3;
  log(`workers: claim → heartbeat every ${beat.toFixed(1)} s${heartbeatSeconds === null ? ` (a third of the ${leaseSeconds} s lease, as lib/worker does)` : ""} → result after ${computeMin}–${computeMax} s (uniform); steps ${steps.join(", ")}; ${stepSeconds} s per step, new workers ramped over ${rampSeconds} s`);
  const worker = (idx: number, app: number) => new SimWorker(idx, nodeOf.get(owners[idx]!.address.toLowerCase())!, sessionKeys[idx]!, apps[app % apps.length]!, sink, timing);

  // Warm-up (not measured): each instance loads its routes and JIT-compiles the hot paths.
  const t = performance.now();
  await Promise.all(Array.from({ length: 16 }, (_, i) => worker(maxWorkers - 1 - i, i).run({ cycles: 10, computeMs: 1_500 })));
  log(`warm-up: 16 workers × 10 claim → heartbeat → result cycles (${((performance.now() - t) / 1000).toFixed(1)} s)`);

  // ── the ramp ──
  const workers: SimWorker[] = [];
  const running: Promise<void>[] = [];
  let heldBest = 0;
  for (const w of steps) {
    step = newStep(w);
    const s = step;
    const adding = w - workers.length;
    for (let i = 0; i < adding; i++) {
      const idx = workers.length;
      const sim = worker(idx, idx);
      workers.push(sim);
      const delay = (i / adding) * rampSeconds * 1000;
      running.push(sleep(delay).then(() => sim.run()));
    }
    const doubleBefore = doubleAssigned;
    const cpu0 = cpuSample(appGroups);
    await sleep(stepSeconds * 1000);
    const cpu1 = cpuSample(appGroups);
    const p50 = pct(s.claimMs, 50);
    const p99 = pct(s.claimMs, 99);
    const errors = [...s.errors.values()].reduce((a, b) => a + b, 0);
    const doubles = doubleAssigned - doubleBefore;
    log(`W ${w}: ${s.claimMs.length} claim requests (${s.claims} leased, ${s.empty} empty), ${s.heartbeats} heartbeats, ${s.results} results in ${stepSeconds} s; ` +
      `${((s.claimMs.length + s.heartbeats + s.results) / stepSeconds).toFixed(0)} req/s; claim p50 ${p50.toFixed(1)} ms${errors ? `; errors ${[...s.errors].map(([k, v]) => `${k} ×${v}`).join(", ")}` : ""}`);
    log(`W ${w}: ${cpuLine(cpu0, cpu1)}`);
    if (s.empty > 0) log(`W ${w}: ${s.empty} claims found no open slot: the bench ran out of work (raise the job count)`);
    if (p99 <= P99_LIMIT_MS && errors === 0 && s.lost === 0 && doubles === 0 && s.empty === 0) {
      console.log(`held ${w} workers: p99 claim ${p99.toFixed(1)} ms, lost leases ${s.lost}, double-assigned ${doubles}`);
      heldBest = w;
    } else {
      console.log(`limit ${w} workers: p99 claim ${p99.toFixed(1)} ms, errors ${errors}, lost leases ${s.lost}, double-assigned ${doubles}${s.empty ? `, empty claims ${s.empty}` : ""}`);
      break;
    }
  }
  for (const w of workers) w.stop();
  await Promise.race([Promise.all(running), sleep(35_000)]);

  // ── the database's view ──
  const rows = await db.prisma.$queryRaw<{ id: string; leases: number }[]>`SELECT id::text, leases FROM replica_slots WHERE leases > 0`;
  let leaseMismatch = 0;
  for (const r of rows) if (Number(r.leases) !== (granted.get(r.id) ?? 0)) leaseMismatch++;
  const [dup] = await db.prisma.$queryRaw<{ two_results: bigint; same_owner: bigint }[]>`
    SELECT (SELECT count(*) FROM (SELECT slot_id FROM fragment_results GROUP BY slot_id HAVING count(*) > 1) x) AS two_results,
           (SELECT count(*) FROM (SELECT fragment_id, owner FROM replica_slots WHERE state IN ('leased', 'submitted') AND owner IS NOT NULL
                                  GROUP BY fragment_id, owner HAVING count(*) > 1) y) AS same_owner`;
  const dbDoubles = leaseMismatch + Number(dup!.two_results) + Number(dup!.same_owner);
  log(`db check: ${rows.length} slots leased, lease counts differing from the workers' ${leaseMismatch}, slots with two results ${dup!.two_results}, owners holding two replicas of a fragment ${dup!.same_owner}; double-assigned (worker side) ${doubleAssigned}`);
  log(`best: held ${heldBest} workers`);
  if (dbDoubles > 0 || doubleAssigned > 0) exitCode = 1;
  for (const a of apps) a.agent.destroy();
}

let done = false;
async function shutdown() {
  if (done) return;
  done = true;
  await group.stopAll();
  for (const c of cleanups.reverse()) await c().catch((e) => console.error(`[bench] cleanup: ${(e as Error).message}`));
  process.exit(exitCode);
}
process.on("SIGINT", () => void shutdown());
main().catch((e) => {
  console.error(`[bench] ${(e as Error).stack ?? e}`);
  exitCode = 1;
}).finally(() => void shutdown());
