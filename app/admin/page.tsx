import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { serverEnv } from "@/lib/env";
import { getHealth } from "@/lib/health";
import { networkTotals } from "@/lib/mirror";
import { formatCxt, formatFlops } from "@/lib/mirror/format";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const env = serverEnv();
  const [totals, health] = await Promise.all([networkTotals(env.CHAIN_ID), getHealth()]);
  const figures: [string, string][] = [
    ["Active nodes", String(totals.activeNodes)],
    ["Staked CXT", formatCxt(totals.stake)],
    ["Unbonding CXT", formatCxt(totals.unbonding)],
    ["CXT supply (claims minted, less burns)", formatCxt(totals.totalSupply)],
    ["Verified work", formatFlops(totals.workUnits)],
    ["Epochs posted", String(totals.epochs)],
    ["Tasks open / completed / cancelled", ["open", "completed", "cancelled"].map((s) => totals.tasksByStatus[s] ?? 0).join(" / ")],
    ["Events indexed", totals.eventsIndexed.toLocaleString("en")],
    ["Indexer lag (blocks)", health.indexer.lag === null ? "—" : String(health.indexer.lag)],
  ];
  return (
    <>
      <PageHeader title="Network metrics">
        Figures read from the chain mirror. The same counters are served to Prometheus at{" "}
        <a className="prose-link" href="/api/metrics">/api/metrics</a>. Admin wallets:{" "}
        {env.ADMIN_ADDRESSES.length ? env.ADMIN_ADDRESSES.length : "none configured (ADMIN_ADDRESSES)"}.
      </PageHeader>
      <dl className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        {figures.map(([label, value]) => (
          <div key={label} className="rounded border border-line p-4">
            <dt className="text-xs text-muted">{label}</dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
