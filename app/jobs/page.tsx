import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/page-header";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { serverEnv } from "@/lib/env";
import { listTasks } from "@/lib/mirror";
import { prisma } from "@/lib/db";
import { listJobs } from "@/lib/jobs";
import { JobList } from "./_components/job-list";
import { formatCxt, shortHex, tierName } from "@/lib/mirror";

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
          <Table>
            <THead>
              <tr>
                <Th>Task</Th>
                <Th>Creator</Th>
                <Th>Spec hash</Th>
                <Th numeric>Fragments</Th>
                <Th numeric>Fee (CXT)</Th>
                <Th numeric>Paid</Th>
                <Th>Min tier</Th>
                <Th>Status</Th>
              </tr>
            </THead>
            <tbody>
              {tasks.map((t) => (
                <Tr key={t.taskId.toString()}>
                  <Td>#{t.taskId.toString()}</Td>
                  <Td mono title={t.creator}>{shortHex(t.creator)}</Td>
                  <Td mono title={t.specHash}>{shortHex(t.specHash, 6)}</Td>
                  <Td numeric>{t.fragmentCount}</Td>
                  <Td numeric>{formatCxt(t.fee)}</Td>
                  <Td numeric>{formatCxt(t.paid)}</Td>
                  <Td>{tierName(t.minTier)}</Td>
                  <Td>{t.status}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </TableScroll>
      )}
    </>
  );
}
