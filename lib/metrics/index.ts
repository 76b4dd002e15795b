import "server-only";
import { Counter, Gauge } from "prom-client";
import type { PrismaClient } from "@/lib/db";
import { metric, metricsRegistry } from "./registry";

export { metric, metricsRegistry };

type CheckpointRow = { chain_id: number; n: string; head: string | null; events: string; reorgs: number; age: number; silent: number };

/**
 * Indexer metrics read from the database at scrape time, so /api/metrics is right whichever
 * process runs the indexer: events in the mirror, checkpoint, head, lag, reorgs per chain.
 */
function registerIndexerDbMetrics(prisma: PrismaClient) {
  let cache: { at: number; rows: Promise<CheckpointRow[]> } | null = null;
  const rows = () => {
    // One query per scrape for all five metrics.
    if (!cache || Date.now() - cache.at > 500) {
      cache = {
        at: Date.now(),
        rows: prisma.$queryRawUnsafe<CheckpointRow[]>(
          `SELECT chain_id, block_number::text AS n, head_number::text AS head, events_indexed::text AS events, reorgs,
                  EXTRACT(EPOCH FROM now() - updated_at)::float8 AS age,
                  EXTRACT(EPOCH FROM now() - COALESCE(heartbeat_at, updated_at))::float8 AS silent
           FROM indexer_checkpoints`,
        ),
      };
    }
    return cache.rows;
  };
  const gauge = (name: string, help: string, value: (r: CheckpointRow) => number | null) =>
    metric(
      name,
      (registers) =>
        new Gauge({
          name,
          help,
          labelNames: ["chain_id"],
          registers: [registers],
          async collect() {
            this.reset();
            for (const r of await rows()) {
              const v = value(r);
              if (v !== null) this.set({ chain_id: String(r.chain_id) }, v);
            }
          },
        }),
    );
  gauge("corex_indexer_events_indexed", "Chain events currently in the mirror", (r) => Number(r.events));
  gauge("corex_indexer_checkpoint_block", "Last block fully indexed", (r) => Number(r.n));
  gauge("corex_indexer_head_block", "Chain head last seen by the indexer", (r) => (r.head === null ? null : Number(r.head)));
  gauge("corex_indexer_lag_blocks", "Head minus checkpoint", (r) => (r.head === null ? null : Math.max(0, Number(r.head) - Number(r.n))));
  gauge("corex_indexer_checkpoint_age_seconds", "Seconds since the indexer last wrote its checkpoint", (r) => r.age);
  gauge("corex_indexer_heartbeat_age_seconds", "Seconds since the indexer's last heartbeat (it beats every few seconds even on an idle chain)", (r) => r.silent);
  metric(
    "corex_indexer_reorgs_total",
    (registers) =>
      new Counter({
        name: "corex_indexer_reorgs_total",
        help: "Chain reorganisations the indexer reverted",
        labelNames: ["chain_id"],
        registers: [registers],
        async collect() {
          this.reset();
          for (const r of await rows()) this.inc({ chain_id: String(r.chain_id) }, r.reorgs);
        },
      }),
  );
}

type NetworkRow = { chain_id: number; key: string; label: string | null; value: string };

/**
 * The admin page's figures for Prometheus (dapp admin): queue depth by job status, active nodes,
 * verified work and CXT minted so far, CXT emitted by the latest epochs. One query per scrape.
 */
function registerNetworkDbMetrics(prisma: PrismaClient) {
  const rows = () =>
    prisma.$queryRawUnsafe<NetworkRow[]>(
      `SELECT chain_id, 'jobs' AS key, status AS label, count(*)::text AS value FROM jobs GROUP BY chain_id, status
       UNION ALL SELECT chain_id, 'active_nodes', NULL, count(*)::text FROM nodes WHERE active GROUP BY chain_id
       UNION ALL SELECT chain_id, 'work', NULL, COALESCE(sum(work_units), 0)::text FROM nodes GROUP BY chain_id
       UNION ALL SELECT chain_id, 'minted', NULL, minted::text FROM token_supplies
       UNION ALL SELECT chain_id, 'epoch', epoch::text, total::text FROM (SELECT *, row_number() OVER (PARTITION BY chain_id ORDER BY epoch DESC) AS r FROM epochs) e WHERE r <= 10`,
    );
  const wei = (v: string) => Number(BigInt(v) / 10n ** 12n) / 1e6;
  const gauge = (name: string, help: string, key: string, labelName: string | null, value: (v: string) => number) =>
    metric(
      name,
      (registers) =>
        new Gauge({
          name,
          help,
          labelNames: labelName ? ["chain_id", labelName] : ["chain_id"],
          registers: [registers],
          async collect() {
            this.reset();
            for (const r of await rows()) {
              if (r.key !== key) continue;
              this.set(labelName ? { chain_id: String(r.chain_id), [labelName]: r.label ?? "" } : { chain_id: String(r.chain_id) }, value(r.value));
            }
          },
        }),
    );
  gauge("corex_jobs", "Jobs by status (queue depth: awaiting_chain, active)", "jobs", "status", Number);
  gauge("corex_active_nodes", "Active nodes registered in Staking", "active_nodes", null, Number);
  gauge("corex_work_units", "Cumulative verified work of all nodes (FLOP)", "work", null, Number);
  gauge("corex_cxt_minted", "CXT minted so far (claims), in CXT", "minted", null, wei);
  gauge("corex_epoch_emission_cxt", "CXT emitted by each of the latest 10 epochs", "epoch", "epoch", wei);
}

let registeredFor: PrismaClient | null = null;

/** Prometheus text exposition of every metric of this process plus the database-backed ones. */
export async function renderMetrics(prisma: PrismaClient): Promise<{ contentType: string; body: string }> {
  if (registeredFor !== prisma) {
    registerIndexerDbMetrics(prisma);
    registerNetworkDbMetrics(prisma);
    registeredFor = prisma;
  }
  const r = metricsRegistry();
  return { contentType: r.contentType, body: await r.metrics() };
}
