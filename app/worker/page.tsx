import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { WalletBoundary } from "@/components/wallet";
import { serverEnv } from "@/lib/env";
import { contractAddress, loadDeployment } from "@/lib/chain";
import { listEpochs, listNodes } from "@/lib/mirror";
import { rewardRate } from "./_components/session-estimate";
import { WebGpuProbe } from "./_components/webgpu-probe";
import { WorkerPanel } from "./_components/worker-panel";

export const metadata: Metadata = { title: "Worker" };
export const dynamic = "force-dynamic";

export default async function WorkerPage() {
  const chainId = serverEnv().CHAIN_ID;
  const [rows, [latest], deployment] = await Promise.all([listNodes(chainId), listEpochs(chainId, 1), loadDeployment(chainId).catch(() => undefined)]);
  const nodes = rows.map((n) => ({ nodeId: n.nodeId.toString(), owner: n.owner, kind: n.kind, active: n.active }));
  return (
    <>
      <PageHeader title="Browser worker">
        This tab can train fragments for a node you own: it claims work, fetches the weights and data shard (cached
        by hash), computes in a background Web Worker on WebGPU — or on the CPU with WebAssembly — signs the result
        with a session key you delegate once, and submits it. Closing the tab gives the current fragment back.
      </PageHeader>
      {/* Its own block with room below: at 1280 px the device list touched the panel under it. */}
      <div className="mb-6">
        <WebGpuProbe />
      </div>
      <WalletBoundary fallback={<Skeleton className="h-40" />}>
        <WorkerPanel nodes={nodes} chainId={chainId} staking={contractAddress(deployment, "Staking")} rate={rewardRate(latest)} />
      </WalletBoundary>
    </>
  );
}
