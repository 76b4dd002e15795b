import { Counter, Gauge, Histogram } from "prom-client";
import { metric } from "@/lib/metrics/registry";

/** In-process metrics of a running indexer (the database-backed ones live in lib/metrics). */
export function indexerMetrics() {
  const events = metric("corex_indexer_events_processed_total", (r) =>
    new Counter({ name: "corex_indexer_events_processed_total", help: "Events processed by this process", labelNames: ["chain_id"], registers: [r] }),
  );
  const reorgs = metric("corex_indexer_process_reorgs_total", (r) =>
    new Counter({ name: "corex_indexer_process_reorgs_total", help: "Reorgs handled by this process", labelNames: ["chain_id"], registers: [r] }),
  );
  const head = metric("corex_indexer_process_head_block", (r) =>
    new Gauge({ name: "corex_indexer_process_head_block", help: "Head seen by this process", labelNames: ["chain_id"], registers: [r] }),
  );
  const lag = metric("corex_indexer_process_lag_blocks", (r) =>
    new Gauge({ name: "corex_indexer_process_lag_blocks", help: "Head minus checkpoint, as seen by this process", labelNames: ["chain_id"], registers: [r] }),
  );
  const batchSeconds = metric("corex_indexer_batch_duration_seconds", (r) =>
    new Histogram({
      name: "corex_indexer_batch_duration_seconds",
      help: "Time to commit one batch",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [r],
    }),
  );
  return {
    events,
    reorgs,
    head,
    batchSeconds,
    update(chainId: number, checkpoint: number, headBlock: number) {
      head.set({ chain_id: String(chainId) }, headBlock);
      lag.set({ chain_id: String(chainId) }, Math.max(0, headBlock - checkpoint));
    },
  };
}
