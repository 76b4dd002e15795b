import type { Metadata } from "next";
import Link from "next/link";
import { formatUnits } from "viem";
import { z } from "zod";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/page-header";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { rankingPage, rankingSorts } from "@/lib/mirror";
import { tierNames } from "@/lib/mirror";
import { LazyTierChart } from "./_components/lazy-tier-chart";
import { RankingsTable } from "./_components/rankings-table";

export const metadata: Metadata = { title: "Rankings" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 25;

// A malformed query (hand-edited URL) falls back to the default view rather than failing the page.
const querySchema = z.object({
  sort: z.enum(rankingSorts).catch("rank"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export default async function RankingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = querySchema.parse(await searchParams);
  const chainId = serverEnv().CHAIN_ID;
  const [{ nodes, total }, byTier] = await Promise.all([
    rankingPage(chainId, { sort: q.sort, dir: q.dir, page: q.page, pageSize: PAGE_SIZE }),
    prisma.node.groupBy({ by: ["tier"], where: { chainId }, _count: { _all: true }, _sum: { stake: true } }),
  ]);
  const buckets = tierNames.map((name, tier) => {
    const row = byTier.find((b) => b.tier === tier);
    return { tier: name, nodes: row?._count._all ?? 0, stake: Number(formatUnits(BigInt(row?._sum.stake?.toFixed() ?? "0"), 18)) };
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const href = (over: Partial<typeof q>) => {
    const next = { ...q, ...over };
    return `/rankings?sort=${next.sort}&dir=${next.dir}&page=${next.page}`;
  };
  return (
    <>
      <PageHeader title="Rankings">
        Nodes ranked by tier, then verified work, then stake. A tier needs both its stake and its work threshold; higher tiers
        earn larger reward multipliers and more governance weight (stake × multiplier). Sort by any underlined column.
      </PageHeader>
      {total === 0 ? (
        <EmptyState title="No node to rank yet">
          Rankings fill in as nodes register and stake. Register one from Nodes &amp; staking with a connected wallet.
        </EmptyState>
      ) : (
        <>
          <LazyTierChart data={buckets} />
          <RankingsTable nodes={nodes} sort={q.sort} dir={q.dir} offset={(q.page - 1) * PAGE_SIZE} href={href} />
          <nav aria-label="Rankings pages" className="mt-4 flex items-center justify-between text-sm">
            {q.page > 1 ? (
              <Link className="prose-link" href={href({ page: q.page - 1 })}>
                ← Previous
              </Link>
            ) : (
              <span />
            )}
            <span className="text-muted">
              Page {Math.min(q.page, pages)} of {pages} · {total} nodes
            </span>
            {q.page < pages ? (
              <Link className="prose-link" href={href({ page: q.page + 1 })}>
                Next →
              </Link>
            ) : (
              <span />
            )}
          </nav>
        </>
      )}
    </>
  );
}
