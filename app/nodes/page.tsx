import type { Metadata } from "next";
import { EmptyState, PageHeader, TableScroll, table, td, th, thead, tr } from "@/components/page-header";
import { nodesThroughput, type NodeThroughput } from "@/lib/compute-poc";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import Link from "next/link";
import { contractAddress } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain/deployments";
import { listNodes } from "@/lib/mirror";
import { formatCxt, formatFlops, shortHex, tierName } from "@/lib/mirror/format";
import { RegisterNode } from "./_components/register-node";

export const metadata: Metadata = { title: "Nodes & staking" };
export const dynamic = "force-dynamic";

export default async function NodesPage() {
  const chainId = serverEnv().CHAIN_ID;
  const [nodes, deployment] = await Promise.all([listNodes(chainId), loadDeployment(chainId).catch(() => undefined)]);
  const staking = contractAddress(deployment, "Staking");
  const proven = await nodesThroughput(prisma, nodes.map((n) => n.nodeId), chainId);
  return (
    <>
      <PageHeader title="Nodes & staking">
        Every node registered in the Staking contract, mirrored from the chain: its kind, active stake, stake still
        unbonding (slashable until withdrawn), verified work and tier.
      </PageHeader>
      <div className="mb-6">
        <RegisterNode staking={staking} />
      </div>
      {nodes.length === 0 ? (
        <EmptyState title="No node registered yet">
          Connect a wallet and register a node (GPU, CPU, edge or browser), then stake CXT on it to reach the first tier.
        </EmptyState>
      ) : (
        <TableScroll label="Registered nodes">
          <table className={table}>
            <thead className={thead}>
              <tr>
                <th className={th}>Node</th>
                <th className={th}>Owner</th>
                <th className={th}>Kind</th>
                <th className={th}>Tier</th>
                <th className={`${th} text-right`}>Stake (CXT)</th>
                <th className={`${th} text-right`}>Unbonding</th>
                <th className={`${th} text-right`}>Verified work</th>
                <th className={`${th} text-right`} title="Compute-PoC: the latest verified n×n integer matrix product">Proven compute</th>
                <th className={th}>Status</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((n) => (
                <tr key={n.nodeId.toString()} className={tr}>
                  <td className={td}>
                    <Link className="prose-link" href={`/nodes/${n.nodeId}`}>
                      #{n.nodeId.toString()}
                    </Link>
                  </td>
                  <td className={`${td} font-mono text-xs`} title={n.owner}>{shortHex(n.owner)}</td>
                  <td className={td}>{n.kind}</td>
                  <td className={td}>{tierName(n.tier)}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatCxt(n.stake)}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatCxt(n.unbonding)}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatFlops(n.workUnits)}</td>
                  <td className={`${td} text-right tabular-nums`}><ProvenCompute t={proven.get(n.nodeId.toString())} /></td>
                  <td className={td}>{n.active ? "active" : "inactive"}{n.slashCount > 0 ? ` · slashed ×${n.slashCount}` : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

/** Integer ops/s of the latest passed Compute-PoC, with refusals when there are any. */
function ProvenCompute({ t }: { t: NodeThroughput | undefined }) {
  const refused = t ? Object.values(t.failures).reduce((a, b) => a + (b ?? 0), 0) : 0;
  if (!t?.latest) return <span className="text-muted">{refused > 0 ? `none · ${refused} refused` : "—"}</span>;
  return (
    <span title={`n = ${t.latest.n}, ${t.passes} passed, ${refused} refused; wall-clock bound ${formatOps(t.latest.wallOpsPerSecond)}`}>
      {formatOps(t.latest.opsPerSecond)}
      {refused > 0 ? <span className="text-muted"> · {refused} refused</span> : null}
    </span>
  );
}

function formatOps(opsPerSecond: number): string {
  const units = ["op/s", "kop/s", "Mop/s", "Gop/s", "Top/s"];
  let v = opsPerSecond;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toPrecision(3)} ${units[i]}`;
}
