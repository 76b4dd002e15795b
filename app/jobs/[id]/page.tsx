import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LiveRefresh } from "@/components/live";
import { ApiError } from "@/lib/api";
import { contractAddress } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { getJobFees } from "@/lib/epochs";
import { getJob } from "@/lib/jobs";
import { modelIdOfJob, modelsCtx } from "@/lib/models";
import { jobProof } from "@/lib/scheduler";
import { jobProgress, outputsPreview, schedulerCtx } from "@/lib/scheduler";
import { InferenceOutputs } from "./_components/inference-outputs";
import { JobStatus, StatusChip } from "./_components/job-status";
import { RunClock } from "./_components/run-clock";
import { VerificationDetails } from "./_components/verification-details";
import { LazyJobCharts } from "./_components/lazy-job-charts";
import { ModelDownloads } from "./_components/model-downloads";
import { PROOF_ROUNDS_SHOWN, ProofChain } from "./_components/proof-chain";
import { RoundProgress } from "./_components/round-progress";
import { RoundsTable } from "./_components/rounds-table";
import { TaskFees } from "./_components/task-fees";

export const metadata: Metadata = { title: "Job" };
export const dynamic = "force-dynamic";

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function JobPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ proof?: string | string[] }> }) {
  const { id } = await params;
  const showAllRounds = (await searchParams).proof === "all";
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const job = await getJob(prisma, id).catch((e) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
  if (!job) notFound();
  const chainId = serverEnv().CHAIN_ID;
  const inference = (job.spec as { kind?: string }).kind === "inference" ? (job.spec.inference as { modelId: string }) : null;
  const [deployment, progress, proof, task, preview, fees] = await Promise.all([
    loadDeployment(chainId),
    jobProgress(prisma, id),
    inference ? null : jobProof(prisma, id, { lastRounds: showAllRounds ? undefined : PROOF_ROUNDS_SHOWN }),
    job.taskId ? prisma.task.findUnique({ where: { chainId_taskId: { chainId, taskId: BigInt(job.taskId) } }, select: { cancelReclaimableAt: true } }) : null,
    inference ? outputsPreview(schedulerCtx(), id) : null,
    getJobFees(prisma, id),
  ]);
  // A completed training job's model is in the registry (published on this read if it was not yet).
  const registryId = job.status === "completed" && !inference ? await modelIdOfJob(modelsCtx(), id) : null;
  const taskManager = contractAddress(deployment, "TaskManager");
  const token = contractAddress(deployment, "CXTToken");
  // While the job can still change, the server page re-renders every few seconds (status, rounds, states).
  const live = job.status === "awaiting_chain" || job.status === "active";
  const aggregated = progress.rounds.filter((r) => r.status === "aggregated");
  const language = (job.spec.model as { kind?: string } | undefined)?.kind === "gpt";
  const latestSamples = aggregated.findLast((r) => r.samples !== null);
  // The run's end (not in the API's job summary): the clock stops there.
  const ended = await prisma.job.findUnique({ where: { id }, select: { finishedAt: true } });
  const kind = inference ? "inference" : language ? "language model" : "classifier";
  return (
    <div className="space-y-8">
      {live ? <LiveRefresh seconds={3} /> : null}
      {/* A run page: its name and status first, the clock under them; hashes wait in Verification. */}
      <div>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">
            {job.datasetName} {kind}
          </h1>
          <StatusChip status={job.status} />
        </div>
        <p className="mt-1 text-sm text-muted">
          Job <span className="font-mono">{job.id.slice(0, 8)}</span>
          {job.taskId ? ` · task #${job.taskId}` : ""} · {job.fragmentCount.toLocaleString("en")} fragments
        </p>
        <div className="mt-2">
          <RunClock
            status={job.status}
            startedAt={job.activatedAt}
            finishedAt={ended?.finishedAt?.toISOString() ?? null}
            done={progress.done}
            totalRounds={progress.totalRounds}
            renderedAt={new Date().toISOString()}
          />
        </div>
      </div>
      <JobStatus job={job} addresses={taskManager && token ? { taskManager, token } : null} cancelReclaimableAt={task?.cancelReclaimableAt?.toISOString() ?? null} />
      {BigInt(fees.fee) > 0n ? (
        <Section id="fees" title="Task fees">
          <TaskFees fees={fees} />
        </Section>
      ) : null}
      <Section id="progress" title="Progress">
        <RoundProgress progress={progress} />
      </Section>
      {inference && preview ? (
        <Section id="outputs" title="Outputs">
          <InferenceOutputs jobId={job.id} modelId={inference.modelId} preview={preview} />
        </Section>
      ) : null}
      {inference ? null : (
        <>
          <Section id="training" title={language ? "Loss (nats per character)" : "Loss and accuracy"}>
            {aggregated.length > 0 ? (
              <LazyJobCharts language={language} points={aggregated.map((r) => ({ round: r.round, trainLoss: r.trainLoss, heldOutLoss: r.heldOutLoss, accuracy: r.heldOutAccuracy === null ? null : r.heldOutAccuracy * 100 }))} />
            ) : null}
            <RoundsTable rounds={progress.rounds} language={language} />
          </Section>
          {latestSamples?.samples ? (
            <Section id="samples" title="Samples">
              <p className="text-sm text-muted">
                Generated from round {latestSamples.round}&apos;s weights (seeded: GET /api/jobs/{job.id}/rounds lists every round&apos;s, and anyone can regenerate them).
              </p>
              <ol className="grid list-decimal gap-x-8 gap-y-0.5 pl-6 font-mono text-sm sm:grid-cols-2" data-testid="samples">
                {latestSamples.samples.map((s, i) => (
                  <li key={i} className="whitespace-pre-wrap break-all">{s === "" ? <span className="text-muted">(empty)</span> : s}</li>
                ))}
              </ol>
            </Section>
          ) : null}
          <Section id="model" title="Model">
            <ModelDownloads jobId={job.id} finalWeightsSha256={progress.run?.finalWeightsSha256 ?? null} completeTx={progress.run?.completeTx ?? null} registryId={registryId} />
          </Section>
          {proof ? (
            <Section id="proof" title="Verification">
              <VerificationDetails job={job} />
              <ProofChain jobId={job.id} proof={proof} totalRounds={progress.rounds.length} />
            </Section>
          ) : null}
        </>
      )}
    </div>
  );
}
