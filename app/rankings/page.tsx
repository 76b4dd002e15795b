import type { Metadata } from "next";
import Link from "next/link";
import { formatUnits } from "viem";
import { z } from "zod";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/page-header";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { nodeWeight, rankingPage, rankingSorts, tierTable, type RankingSort } from "@/lib/mirror";
import { formatCxt, formatFlops, shortHex, tierName, tierNames } from "@/lib/mirror/format";
import { LazyTierChart } from "./_components/lazy-tier-chart";

export const metadata: Metadata = { title: "Rankings" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 25;

// A malformed query (hand-edited URL) falls back to the default view rather than failing the page.
const querySchema = z.object({
  sort: z.enum(rankingSorts).catch("rank"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

const columns: { key: RankingSort | null; label: string; right?: boolean }[] = [
  { key: "rank", label: "Rank" },
  { key: null, label: "Node" },
  { key: null, label: "Owner" },
  { key: "tier", label: "Tier" },
  { key: null, label: "Multiplier", right: true },
  { key: "weight", label: "Weight", right: true },
  { key: "work", label: "Verified work", right: true },
  { key: "stake", label: "Stake (CXT)", right: true },
];

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
          <TableScroll label="Node rankings" className="mt-6">
            <Table>
              <THead>
                <tr>
                  {columns.map((c) => {
                    const active = c.key === q.sort;
                    return (
                      <Th
                        key={c.label}
                        numeric={c.right}
                        aria-sort={active ? (c.key === "rank" || q.dir === "desc" ? "descending" : "ascending") : undefined}
                      >
                        {c.key ? (
                          <Link className="prose-link" href={href({ sort: c.key, dir: active && q.dir === "desc" && c.key !== "rank" ? "asc" : "desc", page: 1 })}>
                            {c.label}
                            {active && c.key !== "rank" ? (q.dir === "desc" ? " ↓" : " ↑") : ""}
                          </Link>
                        ) : (
                          c.label
                        )}
                      </Th>
                    );
                  })}
                </tr>
              </THead>
              <tbody>
                {nodes.map((n, i) => {
                  const stake = BigInt(n.stake.toFixed());
                  return (
                    <Tr key={n.nodeId.toString()}>
                      <Td>{(q.page - 1) * PAGE_SIZE + i + 1}</Td>
                      <Td>
                        <Link className="prose-link" href={`/nodes/${n.nodeId}`}>
                          #{n.nodeId.toString()}
                        </Link>
                      </Td>
                      <Td mono title={n.owner}>
                        {shortHex(n.owner)}
                      </Td>
                      <Td>{tierName(n.tier)}</Td>
                      <Td numeric>{(Number(tierTable[n.tier]?.multiplierBps ?? 10_000n) / 10_000).toFixed(2)}×</Td>
                      <Td numeric>{formatCxt(nodeWeight(stake, n.tier, n.active))}</Td>
                      <Td numeric>{formatFlops(n.workUnits)}</Td>
                      <Td numeric>{formatCxt(n.stake)}</Td>
                    </Tr>
                  );
                })}
              </tbody>
            </Table>
          </TableScroll>
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
