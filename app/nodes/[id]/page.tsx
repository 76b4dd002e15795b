import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LiveRefresh } from "@/components/live";
import { PageHeader } from "@/components/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { contractAddress, resolveChain } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain";
import { prisma } from "@/lib/db";
import { publicConfig, serverEnv } from "@/lib/env";
import { listCredentials, listFaultsOfNode } from "@/lib/epochs";
import { chainTime, getNode, nodeSlashes, governancePosition, nodeStakeHistory, nodeTranches, nodeWeight, tierProgress } from "@/lib/mirror";
import { ChainSlashes } from "./_components/chain-slashes";
import { FaultRecords } from "./_components/fault-records";
import { NextTier } from "./_components/next-tier";
import { NodeCredentials } from "./_components/node-credentials";
import { NodeFigures } from "./_components/node-figures";
import { ManageNode, Rewards } from "./_components/owner-panels";
import { StakeHistory } from "./_components/stake-history";
import { UnbondingTranches } from "./_components/unbonding-tranches";

export const metadata: Metadata = { title: "Node" };
export const dynamic = "force-dynamic";

type Node = NonNullable<Awaited<ReturnType<typeof getNode>>>;

export default async function NodePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ new?: string }> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  if (!/^\d{1,30}$/.test(id)) notFound();
  const chainId = serverEnv().CHAIN_ID;
  const node = await getNode(chainId, BigInt(id));
  if (!node && query.new === "1") {
    // Just registered: the indexer may not have mirrored the block yet.
    return (
      <>
        <LiveRefresh seconds={1} />
        <PageHeader title={`Node #${id}`}>Registered. Waiting for the indexer to mirror the new node…</PageHeader>
        <Skeleton className="h-48" />
      </>
    );
  }
  if (!node) notFound();
  const d = await loadNodeDetails(chainId, id, node);
  const stake = BigInt(node.stake.toFixed());
  const token = contractAddress(d.deployment, "CXTToken");

  return (
    <>
      <LiveRefresh seconds={4} />
      <PageHeader title={`Node #${id}`}>
        {node.kind.toUpperCase()} node owned by <span className="font-mono">{node.owner}</span> · {node.active ? "active" : "deactivated"}
        {node.slashCount > 0 ? ` · slashed ×${node.slashCount}` : ""}
        {node.locked ? " · stake locked by a pending dispute" : ""}. <Link className="prose-link" href="/nodes">All nodes</Link>
      </PageHeader>
      <NodeFigures node={node} weight={nodeWeight(stake, node.tier, node.active)} position={d.position} />
      <NextTier progress={tierProgress(stake, BigInt(node.workUnits.toFixed()))} />
      <UnbondingTranches tranches={d.tranches} chainNow={d.chainNow} renderedAt={d.renderedAt} />
      <ManageNode
        nodeId={id}
        owner={node.owner}
        active={node.active}
        staking={contractAddress(d.deployment, "Staking")}
        token={token}
        canWithdraw={d.tranches.some((t) => t.releaseAt <= d.chainNow)}
        hasTranches={d.tranches.length > 0}
        delegate={d.position.delegate}
        stake={stake.toString()}
        workUnits={node.workUnits.toFixed()}
      />
      <ChainSlashes slashes={d.slashes} faults={d.faults} />
      <StakeHistory history={d.history} />
      <Rewards nodeId={id} owner={node.owner} ledger={contractAddress(d.deployment, "ContributionLedger")} tasks={contractAddress(d.deployment, "TaskManager")} token={token} />
      <FaultRecords faults={d.faults} chain={resolveChain(publicConfig())} />
      <NodeCredentials credentials={d.credentials} />
    </>
  );
}

/** Everything the page shows beyond the node itself, read in parallel. */
async function loadNodeDetails(chainId: number, id: string, node: Node) {
  const nodeId = BigInt(id);
  const [tranches, history, position, now, deployment, slashes] = await Promise.all([
    nodeTranches(chainId, nodeId),
    nodeStakeHistory(chainId, nodeId),
    governancePosition(chainId, node.owner),
    chainTime(chainId),
    loadDeployment(chainId),
    nodeSlashes(chainId, nodeId),
  ]);
  const [{ credentials }, faults] = await Promise.all([listCredentials(prisma, chainId, { node: id, limit: 20 }), listFaultsOfNode(prisma, chainId, nodeId)]);
  const renderedAt = new Date();
  return { tranches, history, position, deployment, slashes, credentials, faults, renderedAt, chainNow: now ?? renderedAt };
}
