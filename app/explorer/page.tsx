import type { Metadata } from "next";
import { EmptyState, PageHeader, TableScroll, table, td, th, thead, tr } from "@/components/page-header";
import { serverEnv } from "@/lib/env";
import { chainTime, listEpochs } from "@/lib/mirror";
import { formatCxt, shortHex } from "@/lib/mirror/format";
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
          <table className={table}>
            <thead className={thead}>
              <tr>
                <th className={th}>Epoch</th>
                <th className={th}>Credentials root</th>
                <th className={th}>Rewards root</th>
                <th className={`${th} text-right`}>Credentials</th>
                <th className={`${th} text-right`}>Emission (CXT)</th>
                <th className={`${th} text-right`}>Claimed</th>
                <th className={th}>State</th>
              </tr>
            </thead>
            <tbody>
              {epochs.map((e) => (
                <tr key={e.epoch.toString()} className={tr}>
                  <td className={td}><a className="underline" href={`/explorer/search?by=epoch&q=${e.epoch}`}>{e.epoch.toString()}</a></td>
                  <td className={`${td} font-mono text-xs`} title={e.credentialsRoot}>{shortHex(e.credentialsRoot, 6)}</td>
                  <td className={`${td} font-mono text-xs`} title={e.rewardsRoot}>{shortHex(e.rewardsRoot, 6)}</td>
                  <td className={`${td} text-right tabular-nums`}>{e.credentialCount}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatCxt(e.total)}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatCxt(e.claimedAmount)}</td>
                  <td className={td}>{epochState(e, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
