import "server-only";
import type { PrismaClient } from "@/lib/db";
import { networkTotals } from "@/lib/mirror";

/** Records one AdminSample of the running figures (a timer in instrumentation.ts calls it). */
export async function recordAdminSample(db: PrismaClient, chainId: number) {
  const [cp, jobs, totals] = await Promise.all([
    db.indexerCheckpoint.findUnique({ where: { chainId } }),
    db.job.groupBy({ by: ["status"], where: { chainId }, _count: { _all: true } }),
    networkTotals(chainId),
  ]);
  return db.adminSample.create({
    data: {
      chainId,
      headBlock: cp?.headNumber ?? null,
      indexedBlock: cp?.blockNumber ?? null,
      reorgs: cp?.reorgs ?? 0,
      eventsIndexed: cp?.eventsIndexed ?? 0n,
      jobsByStatus: Object.fromEntries(jobs.map((j) => [j.status, j._count._all])),
      activeNodes: totals.activeNodes,
      workUnits: totals.workUnits,
      cxtSupply: totals.totalSupply,
    },
  });
}

export type { AdminPoint, AdminSeries } from "./types";
import type { AdminPoint, AdminSeries } from "./types";

const perMinute = (delta: number, ms: number) => (ms > 0 ? Math.max(0, (delta * 60_000) / ms) : 0);

/** Rates between consecutive samples: counters are cumulative, so the chart shows their slope. */
export function toPoints(
  samples: { at: Date; headBlock: bigint | null; indexedBlock: bigint | null; reorgs: number; eventsIndexed: bigint; jobsByStatus: unknown; activeNodes: number; workUnits: { toFixed(): string } }[],
): AdminPoint[] {
  return samples.map((s, i) => {
    const prev = samples[i - 1];
    const ms = prev ? s.at.getTime() - prev.at.getTime() : 0;
    const jobs = (s.jobsByStatus ?? {}) as Record<string, number>;
    return {
      at: s.at.toISOString(),
      workPerMinute: prev ? perMinute(Number(s.workUnits.toFixed()) - Number(prev.workUnits.toFixed()), ms) : 0,
      eventsPerMinute: prev ? perMinute(Number(s.eventsIndexed - prev.eventsIndexed), ms) : 0,
      queued: jobs.awaiting_chain ?? 0,
      active: jobs.active ?? 0,
      lag: s.headBlock !== null && s.indexedBlock !== null ? Math.max(0, Number(s.headBlock - s.indexedBlock)) : null,
      reorgs: s.reorgs,
      activeNodes: s.activeNodes,
    };
  });
}

/** The admin charts' data: the latest `take` samples, and CXT emitted per epoch (from the mirror). */
export async function adminSeries(db: PrismaClient, chainId: number, take = 240): Promise<AdminSeries> {
  const [samples, epochs] = await Promise.all([
    db.adminSample.findMany({ where: { chainId }, orderBy: { at: "desc" }, take }),
    db.epoch.findMany({ where: { chainId }, orderBy: { epoch: "desc" }, take: 50 }),
  ]);
  return {
    points: toPoints(samples.reverse()),
    emission: epochs.reverse().map((e) => ({ epoch: e.epoch.toString(), cxt: Number(BigInt(e.total.toFixed()) / 10n ** 15n) / 1000, workUnits: Number(e.workUnits.toFixed()) })),
  };
}

/** Starts the sampler once per server process; returns a stop function. */
export function startAdminSampler(db: PrismaClient, chainId: number, seconds: number, log: (s: string) => void = console.error): () => void {
  if (seconds <= 0) return () => {};
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await recordAdminSample(db, chainId);
    } catch (e) {
      log(`[admin] sample failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  void tick();
  const id = setInterval(() => void tick(), seconds * 1000);
  id.unref?.();
  return () => clearInterval(id);
}

/** Everything the admin page shows: current figures and the series for its charts. */
export async function adminMetrics(db: PrismaClient, chainId: number) {
  const [totals, cp, jobs, series] = await Promise.all([
    networkTotals(chainId),
    db.indexerCheckpoint.findUnique({ where: { chainId } }),
    db.job.groupBy({ by: ["status"], where: { chainId }, _count: { _all: true } }),
    adminSeries(db, chainId),
  ]);
  const figures: Record<string, string | number | null> = {
    activeNodes: totals.activeNodes,
    stakeWei: totals.stake,
    unbondingWei: totals.unbonding,
    cxtSupplyWei: totals.totalSupply,
    workUnits: totals.workUnits,
    epochs: totals.epochs,
    eventsIndexed: totals.eventsIndexed,
    indexerLag: cp?.headNumber != null ? Number(cp.headNumber - cp.blockNumber) : null,
    reorgs: cp?.reorgs ?? 0,
    ...Object.fromEntries(jobs.map((j) => [`jobs.${j.status}`, j._count._all])),
  };
  return { figures, series };
}
export { adminMetricsSchema } from "./schemas";
