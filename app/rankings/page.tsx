import type { Metadata } from "next";
import { formatUnits } from "viem";
import { EmptyState, PageHeader, TableScroll, table, td, th, thead, tr } from "@/components/page-header";
import { serverEnv } from "@/lib/env";
import { listNodes } from "@/lib/mirror";
import { formatCxt, formatFlops, shortHex, tierName, tierNames } from "@/lib/mirror/format";
import { LazyTierChart } from "./_components/lazy-tier-chart";

export const metadata: Metadata = { title: "Rankings" };
export const dynamic = "force-dynamic";

export default async function RankingsPage() {
  const nodes = await listNodes(serverEnv().CHAIN_ID, { orderBy: "rank" });
  const buckets = tierNames.map((name, tier) => {
    const inTier = nodes.filter((n) => n.tier === tier);
    const wei = inTier.reduce((sum, n) => sum + BigInt(n.stake.toFixed()), 0n);
    return { tier: name, nodes: inTier.length, stake: Number(formatUnits(wei, 18)) };
  });
  return (
    <>
      <PageHeader title="Rankings">
        Nodes ranked by tier, then verified work, then stake. A tier needs both its stake and its work threshold;
        higher tiers earn larger reward multipliers and more governance weight.
      </PageHeader>
      {nodes.length === 0 ? (
        <EmptyState title="No node to rank yet">
          Rankings fill in as nodes register and stake. Register one from Nodes &amp; staking with a connected wallet.
        </EmptyState>
      ) : (
        <>
          <LazyTierChart data={buckets} />
          <TableScroll label="Node rankings" className="mt-6">
            <table className={table}>
              <thead className={thead}>
                <tr>
                  <th className={th}>Rank</th>
                  <th className={th}>Node</th>
                  <th className={th}>Owner</th>
                  <th className={th}>Tier</th>
                  <th className={`${th} text-right`}>Verified work</th>
                  <th className={`${th} text-right`}>Stake (CXT)</th>
                </tr>
              </thead>
              <tbody>
                {nodes.map((n, i) => (
                  <tr key={n.nodeId.toString()} className={tr}>
                    <td className={td}>{i + 1}</td>
                    <td className={td}>#{n.nodeId.toString()}</td>
                    <td className={`${td} font-mono text-xs`} title={n.owner}>{shortHex(n.owner)}</td>
                    <td className={td}>{tierName(n.tier)}</td>
                    <td className={`${td} text-right tabular-nums`}>{formatFlops(n.workUnits)}</td>
                    <td className={`${td} text-right tabular-nums`}>{formatCxt(n.stake)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </>
  );
}
