import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Figure } from "@/components/ui/figure";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { WalletBoundary } from "@/components/wallet";
import { findSession, pageSessionToken } from "@/lib/auth";
import { contractAddress, loadDeployment } from "@/lib/chain";
import { providerEarnings } from "@/lib/datasets";
import { prisma } from "@/lib/db";
import { readLatestFinalEpoch } from "@/lib/epochs";
import { serverEnv } from "@/lib/env";
import { formatCxtWithUnit } from "@/lib/format";
import { formatShare } from "../_components/format";
import { ClaimEarnings } from "./_components/claim-earnings";

export const metadata: Metadata = { title: "Dataset earnings" };
export const dynamic = "force-dynamic";

/**
 * The signed-in provider's earnings, per published dataset and in total: paid (the mirror's fee payouts),
 * claimable (exact: the latest final epoch's fee leaves less what was paid) with its Claim, and accruing
 * (accepted work not yet in a final epoch).
 */
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
  const [e, deployment] = await Promise.all([readLatestFinalEpoch().then((final) => providerEarnings(prisma, session.address, final)), loadDeployment(serverEnv().CHAIN_ID)]);
  return (
    <>
      <PageHeader title="Dataset earnings">
        Your share of the fees of the jobs that trained on your datasets. Paid: fee payouts to{" "}
        <span className="font-mono text-xs">{e.provider}</span> (chain mirror); claimable: your share in the fee leaves of the latest final
        epoch{e.finalEpoch === null ? "" : ` (${e.finalEpoch})`}, not yet paid — exact; accruing: work accepted since, paid through a later
        epoch (exact once that epoch is posted, until then your share of the fragments accepted so far).
      </PageHeader>
      <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure label="Paid" value={formatCxtWithUnit(e.total.paid)} testId="total-paid" />
        <Figure label="Claimable" value={formatCxtWithUnit(e.total.claimable)} testId="total-claimable" />
        <Figure label="Accruing" value={formatCxtWithUnit(e.total.accruing)} testId="total-accruing" />
      </dl>
      {e.taskIds.length > 0 ? (
        <WalletBoundary fallback={<Skeleton className="mb-6 h-9 w-48" />}>
          <ClaimEarnings provider={e.provider} taskIds={e.taskIds} taskManager={contractAddress(deployment, "TaskManager") ?? null} />
        </WalletBoundary>
      ) : null}
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
                <Th numeric>Claimable</Th>
                <Th numeric>Accruing</Th>
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
                  <Td numeric>{formatCxtWithUnit(d.earnings.claimable)}</Td>
                  <Td numeric>{formatCxtWithUnit(d.earnings.accruing)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </TableScroll>
      )}
    </>
  );
}
