import type { Health } from "@/lib/health";
import { StatusCard } from "./status-card";

/** Database, chain and indexer, each healthy or down with what it last said. */
export function NetworkStatus({ health }: { health: Health }) {
  return (
    <section aria-label="Network status" className="grid gap-4 md:grid-cols-3">
      <StatusCard title="Database" ok={health.database.ok} detail={health.database.ok ? `${health.database.latencyMs} ms` : health.database.error} />
      <StatusCard
        title="Chain"
        ok={health.chain.ok}
        detail={health.chain.ok ? `chain ${health.chain.chainId} · block ${health.chain.blockNumber}` : health.chain.error}
      />
      <StatusCard
        title="Indexer"
        ok={health.indexer.ok}
        detail={health.indexer.ok ? `checkpoint ${health.indexer.checkpoint} · lag ${health.indexer.lag}` : health.indexer.error}
      />
    </section>
  );
}
