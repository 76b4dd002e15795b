import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/page-header";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { serverEnv } from "@/lib/env";
import { chainTime, listEpochs } from "@/lib/mirror";
import { formatCount, formatCxt, shortHex } from "@/lib/format";
import { ExplorerSearch } from "./_components/explorer-search";

export const metadata: Metadata = { title: "Explorer" };
export const dynamic = "force-dynamic";

function epochState(e: { status: string; disputeDeadline: Date }, now: Date): string {
  if (e.status === "posted") return e.disputeDeadline <= now ? "final" : `challengeable until ${e.disputeDeadline.toISOString().replace("T", " ").slice(0, 19)} UTC (chain time)`;
  return e.status;
}

export default async function ExplorerPage() {
  const chainId = serverEnv().CHAIN_ID;
  const [epochs, blockTime] = await Promise.all([listEpochs(chainId), chainTime(chainId)]);
  const now = blockTime ?? new Date();
  return (
    <>
      <PageHeader title="Explorer">
        Epochs posted to the ContributionLedger: the Merkle root of every contribution credential, the root of
        cumulative rewards, what the epoch may mint under the emission schedule and how much has been claimed.
      </PageHeader>
      <ExplorerSearch />
      {epochs.length === 0 ? (
        <EmptyState title="No epoch posted yet">
          The coordinator posts an epoch&apos;s roots once verified work has been credited; they show here with their
          challenge window, and become claimable when it closes.
        </EmptyState>
      ) : (
        <TableScroll label="Posted epochs">
          <Table>
            <THead>
              <tr>
                {/* The key column, then what a person reads (a phone shows only these); the roots last. */}
                <Th>Epoch</Th>
                <Th>State</Th>
                <Th numeric>Emission (CXT)</Th>
                <Th numeric>Claimed</Th>
                <Th numeric>Credentials</Th>
                <Th>Credentials root</Th>
                <Th>Rewards root</Th>
              </tr>
            </THead>
            <tbody>
              {epochs.map((e) => (
                <Tr key={e.epoch.toString()}>
                  <Td><a className="underline" href={`/explorer/search?by=epoch&q=${e.epoch}`}>{e.epoch.toString()}</a></Td>
                  <Td>{epochState(e, now)}</Td>
                  <Td numeric>{formatCxt(e.total)}</Td>
                  <Td numeric>{formatCxt(e.claimedAmount)}</Td>
                  <Td numeric>{formatCount(e.credentialCount)}</Td>
                  <Td mono title={e.credentialsRoot}>{shortHex(e.credentialsRoot, 6)}</Td>
                  <Td mono title={e.rewardsRoot}>{shortHex(e.rewardsRoot, 6)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </TableScroll>
      )}
    </>
  );
}
