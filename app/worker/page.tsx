import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { WalletBoundary } from "@/components/wallet";
import { serverEnv } from "@/lib/env";
import { listNodes } from "@/lib/mirror";
import { WebGpuProbe } from "./_components/webgpu-probe";
import { WorkerPanel } from "./_components/worker-panel";

export const metadata: Metadata = { title: "Worker" };
export const dynamic = "force-dynamic";

export default async function WorkerPage() {
  const chainId = serverEnv().CHAIN_ID;
  const nodes = (await listNodes(chainId)).map((n) => ({ nodeId: n.nodeId.toString(), owner: n.owner, kind: n.kind, active: n.active }));
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
        <WorkerPanel nodes={nodes} chainId={chainId} />
      </WalletBoundary>
    </>
  );
}
