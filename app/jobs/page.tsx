import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader, TableScroll, table, td, th, thead, tr } from "@/components/page-header";
import { serverEnv } from "@/lib/env";
import { listTasks } from "@/lib/mirror";
import { prisma } from "@/lib/db";
import { listJobs } from "@/lib/jobs";
import { JobList } from "./_components/job-list";
import { formatCxt, shortHex, tierName } from "@/lib/mirror/format";

export const metadata: Metadata = { title: "Jobs" };
export const dynamic = "force-dynamic";

export default async function JobsPage() {
  const [tasks, jobs] = await Promise.all([listTasks(serverEnv().CHAIN_ID), listJobs(prisma)]);
  return (
    <>
      <PageHeader title="Jobs">
        Training tasks registered in the TaskManager contract: the spec hash that pins the job, its fragment count,
        the CXT fee held in escrow and what has been paid out or refunded.{" "}
        <Link href="/jobs/new" className="prose-link">
          Create a job
        </Link>
      </PageHeader>
      <JobList jobs={jobs} />
      <h2 className="mb-2 text-lg font-medium">On-chain tasks</h2>
      {tasks.length === 0 ? (
        <EmptyState title="No training job yet">
          A job appears here once its task is created on chain: open <strong>New job</strong> with a connected wallet,
          or run <code>npm run dev</code> on a fresh chain to get the seeded demo task.
        </EmptyState>
      ) : (
        <TableScroll label="Tasks">
          <table className={table}>
            <thead className={thead}>
              <tr>
                <th className={th}>Task</th>
                <th className={th}>Creator</th>
                <th className={th}>Spec hash</th>
                <th className={`${th} text-right`}>Fragments</th>
                <th className={`${th} text-right`}>Fee (CXT)</th>
                <th className={`${th} text-right`}>Paid</th>
                <th className={th}>Min tier</th>
                <th className={th}>Status</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((t) => (
                <tr key={t.taskId.toString()} className={tr}>
                  <td className={td}>#{t.taskId.toString()}</td>
                  <td className={`${td} font-mono text-xs`} title={t.creator}>{shortHex(t.creator)}</td>
                  <td className={`${td} font-mono text-xs`} title={t.specHash}>{shortHex(t.specHash, 6)}</td>
                  <td className={`${td} text-right tabular-nums`}>{t.fragmentCount}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatCxt(t.fee)}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatCxt(t.paid)}</td>
                  <td className={td}>{tierName(t.minTier)}</td>
                  <td className={td}>{t.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
