import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { WalletBoundary } from "@/components/wallet";
import { contractAddress } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain";
import { serverEnv } from "@/lib/env";
import { NewJobForm } from "./_components/new-job-form";

export const metadata: Metadata = { title: "New job" };
export const dynamic = "force-dynamic";

export default async function NewJobPage() {
  const deployment = await loadDeployment(serverEnv().CHAIN_ID);
  const taskManager = contractAddress(deployment, "TaskManager");
  const token = contractAddress(deployment, "CXTToken");
  return (
    <>
      <PageHeader title="New training job">
        Pick a dataset, a model and its hyper-parameters. The job&apos;s spec hash then goes on-chain with
        TaskManager.createTask from your wallet; the job turns active once the chain confirms it.
      </PageHeader>
      <WalletBoundary fallback={<Skeleton className="h-64" />}>
        <NewJobForm addresses={taskManager && token ? { taskManager, token } : null} />
      </WalletBoundary>
    </>
  );
}
