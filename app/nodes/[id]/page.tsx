import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EmptyState, PageHeader, Skeleton, TableScroll, table, td, th, thead, tr } from "@/components/page-header";
import { WalletBoundary } from "@/components/wallet";
import { contractAddress } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain/deployments";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { listCredentials, listFaultsOfNode } from "@/lib/epochs";
import { formatCxt, formatFlops, shortHex, tierName } from "@/lib/mirror/format";
import { ClaimPanel } from "./_components/claim-panel";

export const metadata: Metadata = { title: "Node" };
export const dynamic = "force-dynamic";

export default async function NodePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^\d{1,20}$/.test(id)) notFound();
  const chainId = serverEnv().CHAIN_ID;
  const node = await prisma.node.findUnique({ where: { chainId_nodeId: { chainId, nodeId: BigInt(id) } } });
  if (!node) notFound();
  const [credentials, faults, deployment] = await Promise.all([
    listCredentials(prisma, chainId, { node: id, limit: 20 }),
    listFaultsOfNode(prisma, chainId, node.nodeId),
    loadDeployment(chainId),
  ]);
  const ledger = contractAddress(deployment, "ContributionLedger");
  return (
    <>
      <PageHeader title={`Node #${id}`}>
        {node.kind} · {tierName(node.tier)} · owner <span className="font-mono">{node.owner}</span> · stake {formatCxt(node.stake)} CXT ·
        verified work {formatFlops(node.workUnits)}{node.slashCount > 0 ? ` · slashed ×${node.slashCount}` : ""}
      </PageHeader>

      <h2 className="mt-6 mb-2 text-lg font-semibold">Rewards</h2>
      {ledger ? (
        <WalletBoundary fallback={<Skeleton className="h-24" />}>
          <ClaimPanel owner={node.owner} nodeId={id} ledger={ledger} />
        </WalletBoundary>
      ) : (
        <p className="text-sm text-muted">No ContributionLedger deployment for this chain.</p>
      )}

      <h2 className="mt-8 mb-2 text-lg font-semibold">Faults and slashes</h2>
      {faults.length === 0 ? (
        <p className="text-sm text-muted">No fault recorded: no slash.</p>
      ) : (
        <TableScroll label="Faults">
          <table className={table}>
            <thead className={thead}>
              <tr><th className={th}>Fault</th><th className={th}>Evidence hash</th><th className={th}>Status</th><th className={th}>Transaction</th></tr>
            </thead>
            <tbody>
              {faults.map((f) => (
                <tr key={f.id} className={tr}>
                  <td className={td}><a className="underline" href={`/api/faults/${encodeURIComponent(f.id)}`}>{f.id}</a></td>
                  <td className={`${td} font-mono text-xs`} title={f.evidenceHash}>{shortHex(f.evidenceHash, 6)}</td>
                  <td className={td}>{f.status}</td>
                  <td className={`${td} font-mono text-xs`} title={f.txHash ?? ""}>{f.txHash ? shortHex(f.txHash, 6) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      <h2 className="mt-8 mb-2 text-lg font-semibold">Credentials</h2>
      {credentials.credentials.length === 0 ? (
        <EmptyState title="No credential yet">Accepted results, verifications and passed Compute-PoCs of this node show here.</EmptyState>
      ) : (
        <TableScroll label="Credentials">
          <table className={table}>
            <thead className={thead}>
              <tr><th className={th}>Credential</th><th className={th}>Epoch</th><th className={th}>Role</th><th className={th}>Job</th><th className={`${th} text-right`}>Work</th></tr>
            </thead>
            <tbody>
              {credentials.credentials.map((c) => (
                <tr key={c.id} className={tr}>
                  <td className={`${td} font-mono text-xs`}><Link className="underline" href={`/explorer/credentials/${c.id}`}>{shortHex(c.id, 6)}</Link></td>
                  <td className={td}>{c.epoch ?? "pending"}</td>
                  <td className={td}>{c.role}</td>
                  <td className={`${td} font-mono text-xs`}>{c.jobId.slice(0, 12)}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatFlops(c.workUnits)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
