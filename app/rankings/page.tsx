import type { Metadata } from "next";
import { formatUnits } from "viem";
import { EmptyState, PageHeader, td, th } from "@/components/page-header";
import { serverEnv } from "@/lib/env";
import { listNodes } from "@/lib/mirror";
import { formatCxt, formatFlops, shortHex, tierName, tierNames } from "@/lib/mirror/format";
import { TierChart } from "./_components/tier-chart";

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
        <EmptyState>No node is registered on this chain yet.</EmptyState>
      ) : (
        <>
          <TierChart data={buckets} />
          <table className="mt-6 w-full text-left text-sm">
            <thead className="text-zinc-500">
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
                <tr key={n.nodeId.toString()} className="border-t border-zinc-800">
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
        </>
      )}
    </>
  );
}
