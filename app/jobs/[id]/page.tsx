import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LiveRefresh } from "@/components/live";
import { PageHeader } from "@/components/page-header";
import { ProgressBar } from "@/components/progress-bar";
import { ApiError } from "@/lib/api";
import { contractAddress } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain/deployments";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { getJob } from "@/lib/jobs";
import { jobProgress } from "@/lib/scheduler/job-progress";
import { JobStatus } from "./_components/job-status";
import { RoundsTable } from "./_components/rounds-table";

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
  const chainId = serverEnv().CHAIN_ID;
  const [deployment, progress, task] = await Promise.all([
    loadDeployment(chainId),
    jobProgress(prisma, id),
    job.taskId ? prisma.task.findUnique({ where: { chainId_taskId: { chainId, taskId: BigInt(job.taskId) } }, select: { cancelReclaimableAt: true } }) : null,
  ]);
  const taskManager = contractAddress(deployment, "TaskManager");
  const token = contractAddress(deployment, "CXTToken");
  const live = job.status === "awaiting_chain" || job.status === "active";
  return (
    <div className="space-y-8">
      {/* While the job can still change, the server page re-renders every few seconds (rounds, states, status). */}
      {live ? <LiveRefresh seconds={3} /> : null}
      <PageHeader title={`Job ${job.id.slice(0, 8)}`}>
        {job.datasetName} · {job.fragmentCount} fragments · spec hash <span className="break-all font-mono">{job.specHash}</span>
      </PageHeader>
      <JobStatus job={job} addresses={taskManager && token ? { taskManager, token } : null} cancelReclaimableAt={task?.cancelReclaimableAt?.toISOString() ?? null} />
      <section aria-labelledby="progress" className="space-y-3">
        <h2 id="progress" className="text-lg font-medium">Progress</h2>
        <ProgressBar
          value={progress.totalRounds ? progress.done / progress.totalRounds : 0}
          label="Rounds aggregated"
          detail={`${progress.done} / ${progress.totalRounds}`}
        />
      </section>
      <section aria-label="Loss and accuracy per round">
        <RoundsTable rounds={progress.rounds} />
      </section>
    </div>
  );
}
