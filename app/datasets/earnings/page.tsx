import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Figure } from "@/components/ui/figure";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { findSession, pageSessionToken } from "@/lib/auth";
import { providerEarnings } from "@/lib/datasets";
import { prisma } from "@/lib/db";
import { formatCxtWithUnit } from "@/lib/format";
import { formatShare } from "../_components/format";

export const metadata: Metadata = { title: "Dataset earnings" };
export const dynamic = "force-dynamic";

/** The signed-in provider's earnings: per published dataset and in total, paid and pending, from the chain mirror. */
export default async function EarningsPage() {
  const session = await findSession(prisma, await pageSessionToken());
  if (!session) {
    return (
      <>
        <PageHeader title="Dataset earnings">What your published datasets have earned.</PageHeader>
        <EmptyState title="Sign in to see your earnings">Connect your wallet and sign in (top right), then reload this page.</EmptyState>
      </>
    );
  }
  const e = await providerEarnings(prisma, session.address);
  return (
    <>
      <PageHeader title="Dataset earnings">
        Your share of the fees of the jobs that trained on your datasets, from the chain mirror. Paid: fee payouts to{" "}
        <span className="font-mono text-xs">{e.provider}</span>; pending: your share of the work accepted so far, not yet paid.
      </PageHeader>
      <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure label="Paid" value={formatCxtWithUnit(e.total.paid)} testId="total-paid" />
        <Figure label="Pending" value={formatCxtWithUnit(e.total.pending)} testId="total-pending" />
      </dl>
      {e.datasets.length === 0 ? (
        <EmptyState title="You have not published a dataset">
          <Link href="/datasets/publish" className="prose-link">
            Publish one
          </Link>{" "}
          and earn a share of every job that trains on it.
        </EmptyState>
      ) : (
        <TableScroll label="Earnings per dataset">
          <Table>
            <caption className="sr-only">Earnings per dataset</caption>
            <THead>
              <tr>
                <Th>Dataset</Th>
                <Th numeric>Fee share</Th>
                <Th numeric>Jobs trained</Th>
                <Th numeric>Paid</Th>
                <Th numeric>Pending</Th>
              </tr>
            </THead>
            <tbody>
              {e.datasets.map((d) => (
                <Tr key={d.id} data-dataset={d.id}>
                  <Td>
                    <Link href={`/datasets/${d.id}`} className="prose-link">
                      {d.title}
                    </Link>
                    {d.listed ? null : <span className="ml-2 text-xs text-muted">unlisted</span>}
                  </Td>
                  <Td numeric>{formatShare(d.feeBps)}</Td>
                  <Td numeric>{d.jobsTrained.toLocaleString("en")}</Td>
                  <Td numeric>{formatCxtWithUnit(d.earnings.paid)}</Td>
                  <Td numeric>{formatCxtWithUnit(d.earnings.pending)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </TableScroll>
      )}
    </>
  );
}
