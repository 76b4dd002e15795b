import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader, Skeleton } from "@/components/page-header";
import { WalletBoundary } from "@/components/wallet";
import { ApiError } from "@/lib/api";
import { contractAddress } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain/deployments";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { getJob } from "@/lib/jobs";
import { JobStatus } from "./_components/job-status";

export const metadata: Metadata = { title: "Job" };
export const dynamic = "force-dynamic";

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const job = await getJob(prisma, id).catch((e) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
  if (!job) notFound();
  const deployment = await loadDeployment(serverEnv().CHAIN_ID);
  const taskManager = contractAddress(deployment, "TaskManager");
  const token = contractAddress(deployment, "CXTToken");
  return (
    <>
      <PageHeader title={`Job ${job.id.slice(0, 8)}`}>
        {job.datasetName} · {job.fragmentCount} fragments · spec hash <span className="break-all font-mono">{job.specHash}</span>
      </PageHeader>
      <WalletBoundary fallback={<Skeleton className="h-64" />}>
        <JobStatus initial={job} addresses={taskManager && token ? { taskManager, token } : null} />
      </WalletBoundary>
    </>
  );
}
