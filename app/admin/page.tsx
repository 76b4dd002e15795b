import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { Figure } from "@/components/ui/figure";
import { PageHeader } from "@/components/page-header";
import { adminMetrics } from "@/lib/admin";
import { findSession, pageSessionToken } from "@/lib/auth";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { formatCxt, formatFlops } from "@/lib/mirror";
import { LazyAdminCharts } from "./_components/lazy-admin-charts";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const env = serverEnv();
  const session = await findSession(prisma, await pageSessionToken());
  if (!session) {
    return (
      <>
        <PageHeader title="Admin" />
        <EmptyState title="Sign in with an admin wallet">
          This page is for the wallets on the server&apos;s ADMIN_ADDRESSES list. Connect one with the Connect Wallet button (connecting signs you in),
          then reload this page.
        </EmptyState>
      </>
    );
  }
  if (!env.ADMIN_ADDRESSES.some((a) => a.toLowerCase() === session.address.toLowerCase())) {
    return (
      <>
        <PageHeader title="Admin" />
        <EmptyState title="403 — not an admin wallet">
          You are signed in as <span className="font-mono">{session.address}</span>, which is not on ADMIN_ADDRESSES. Ask an operator to add it, or
          connect an admin wallet.
        </EmptyState>
      </>
    );
  }
  const { figures: f, series } = await adminMetrics(prisma, env.CHAIN_ID);
  const num = (k: string) => Number(f[k] ?? 0);
  const figures: [string, string][] = [
    ["Active nodes", String(f.activeNodes)],
    ["Staked CXT", formatCxt(String(f.stakeWei))],
    ["Unbonding CXT", formatCxt(String(f.unbondingWei))],
    ["CXT supply (claims minted, less burns)", formatCxt(String(f.cxtSupplyWei))],
    ["Verified work", formatFlops(String(f.workUnits))],
    ["Epochs posted", String(f.epochs)],
    ["Jobs awaiting chain / active / completed", `${num("jobs.awaiting_chain")} / ${num("jobs.active")} / ${num("jobs.completed")}`],
    ["Events indexed", Number(f.eventsIndexed).toLocaleString("en")],
    ["Indexer lag (blocks) · reorgs", `${f.indexerLag ?? "—"} · ${f.reorgs}`],
  ];
  return (
    <>
      <PageHeader title="Network metrics">
        Figures read from the chain mirror, sampled every {env.ADMIN_SAMPLE_SECONDS || "—"} s for the charts (ADMIN_SAMPLE_SECONDS). The same
        figures are served to Prometheus at{" "}
        {/* API responses, not pages (the rule counts /api's JSON 404 catch-all as one): next/link would ask them for RSC. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a className="prose-link" href="/api/metrics">
          /api/metrics
        </a>{" "}
        and as JSON at{" "}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a className="prose-link" href="/api/admin/metrics">
          /api/admin/metrics
        </a>
        .
      </PageHeader>
      <dl className="mb-8 grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-3">
        {figures.map(([label, value]) => (
          <Figure key={label} label={label} value={value} size="xl" />
        ))}
      </dl>
      {series.points.length < 2 ? (
        <p className="mb-4 text-sm text-muted">
          {series.points.length} sample{series.points.length === 1 ? "" : "s"} so far: the time charts fill in as the server records more.
        </p>
      ) : null}
      <LazyAdminCharts series={series} />
    </>
  );
}
