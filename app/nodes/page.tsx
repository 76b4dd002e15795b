import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/page-header";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { nodesThroughput, type NodeThroughput } from "@/lib/compute-poc";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import Link from "next/link";
import { contractAddress } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain";
import { listNodes } from "@/lib/mirror";
import { formatCxt, formatFlops, shortHex, tierName } from "@/lib/mirror";
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
          <Table>
            <THead>
              <tr>
                {/* What a person compares first, right after the key column (a phone shows only these); hashes last. */}
                <Th>Node</Th>
                <Th>Tier</Th>
                <Th numeric>Stake (CXT)</Th>
                <Th>Kind</Th>
                <Th numeric>Unbonding</Th>
                <Th numeric>Verified work</Th>
                <Th numeric title="Compute-PoC: the latest verified n×n integer matrix product">Proven compute</Th>
                <Th>Status</Th>
                <Th>Owner</Th>
              </tr>
            </THead>
            <tbody>
              {nodes.map((n) => (
                <Tr key={n.nodeId.toString()}>
                  <Td>
                    <Link className="prose-link" href={`/nodes/${n.nodeId}`}>
                      #{n.nodeId.toString()}
                    </Link>
                  </Td>
                  <Td>{tierName(n.tier)}</Td>
                  <Td numeric>{formatCxt(n.stake)}</Td>
                  <Td>{n.kind}</Td>
                  <Td numeric>{formatCxt(n.unbonding)}</Td>
                  <Td numeric>{formatFlops(n.workUnits)}</Td>
                  <Td numeric><ProvenCompute t={proven.get(n.nodeId.toString())} /></Td>
                  <Td>{n.active ? "active" : "inactive"}{n.slashCount > 0 ? ` · slashed ×${n.slashCount}` : ""}</Td>
                  <Td mono title={n.owner}>{shortHex(n.owner)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
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
