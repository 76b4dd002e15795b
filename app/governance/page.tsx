import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { LiveRefresh } from "@/components/live";
import { WalletBoundary } from "@/components/wallet";
import { contractAddress } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain";
import { serverEnv } from "@/lib/env";
import { listProposals, mirrorClock, parseActions, proposalPhase } from "@/lib/mirror";
import { formatCxt, shortHex } from "@/lib/mirror";
import { CreateProposal } from "./_components/create-proposal";
import { ProposalActions } from "./_components/proposal-actions";

export const metadata: Metadata = { title: "Governance" };
export const dynamic = "force-dynamic";

/** A vote boundary (seconds: the governor's clock is timestamps) as "YYYY-MM-DD HH:MM". */
const utc = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace("T", " ").slice(0, 16);

const phaseText: Record<string, string> = {
  pending: "Pending (vote not open yet)",
  active: "Voting",
  ended: "Vote ended",
  queued: "Queued in the timelock",
  executed: "Executed",
  canceled: "Canceled",
};

export default async function GovernancePage() {
  const chainId = serverEnv().CHAIN_ID;
  const [proposals, head, deployment] = await Promise.all([listProposals(chainId), mirrorClock(chainId), loadDeployment(chainId).catch(() => undefined)]);
  const governor = contractAddress(deployment, "CorexGovernor");
  const timelock = contractAddress(deployment, "TimelockController");
  return (
    <>
      <LiveRefresh seconds={5} />
      <PageHeader title="Governance">
        Proposals to CorexGovernor, voted with Staking&apos;s weight (active stake × tier multiplier, delegable). A proposal
        that passes is queued in the timelock and can be executed by anyone once its delay has passed.
      </PageHeader>
      {/* Voters first: the open proposals, then the form to write one. */}
      <section aria-labelledby="proposals">
        <h2 id="proposals" className="mb-3 text-lg font-semibold">
          Proposals
        </h2>
        {proposals.length === 0 ? (
          <EmptyState title="No proposal yet">Write one below: it needs a description and one action.</EmptyState>
        ) : (
          <ul className="space-y-4">
            {proposals.map((p) => {
              const phase = proposalPhase(p, head ?? 0n);
              const votes = [BigInt(p.forVotes.toFixed()), BigInt(p.againstVotes.toFixed()), BigInt(p.abstainVotes.toFixed())];
              const total = votes.reduce((a, b) => a + b, 0n);
              const pct = (v: bigint) => (total === 0n ? 0 : Number((v * 1000n) / total) / 10);
              return (
                <li key={p.proposalId.toFixed()} className="rounded border border-line p-4" data-testid="proposal">
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <h3 className="font-medium">{p.description || "(no description)"}</h3>
                    <span className="text-sm text-muted" data-testid="proposal-phase">
                      {phaseText[phase]}
                    </span>
                  </div>
                  <p className="mt-1 text-xs text-muted">
                    by <span className="font-mono">{shortHex(p.proposer)}</span> · voting {utc(p.voteStart)} – {utc(p.voteEnd)} UTC · {p.voteCount} vote
                    {p.voteCount === 1 ? "" : "s"}
                    {p.eta ? ` · executable after ${p.eta.toISOString().replace("T", " ").slice(0, 19)} UTC` : ""}
                  </p>
                  <dl className="mt-2 grid grid-cols-3 gap-2 text-sm">
                    {(["For", "Against", "Abstain"] as const).map((label, i) => (
                      <div key={label}>
                        <dt className="text-xs text-muted">{label}</dt>
                        <dd className="tabular-nums" data-testid={`votes-${label.toLowerCase()}`}>
                          {formatCxt(votes[i])} <span className="text-xs text-muted">({pct(votes[i])}%)</span>
                        </dd>
                        {/* A result bar; the figure above says the same in words. */}
                        <div aria-hidden className="mt-1 h-1.5 overflow-hidden rounded-full bg-surface">
                          <div className={`h-full ${["bg-accent-solid", "bg-danger", "bg-muted"][i]}`} style={{ width: `${pct(votes[i])}%` }} />
                        </div>
                      </div>
                    ))}
                  </dl>
                  {governor && phase !== "executed" && phase !== "canceled" ? (
                    <WalletBoundary fallback={<Skeleton className="mt-3 h-8" />}>
                      <ProposalActions governor={governor} proposalId={p.proposalId.toFixed()} voteStart={p.voteStart.toString()} description={p.description} actions={parseActions(p.actions)} />
                    </WalletBoundary>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="new-proposal" className="mt-8">
        <h2 id="new-proposal" className="mb-3 text-lg font-semibold">
          New proposal
        </h2>
        {governor && timelock ? (
          <WalletBoundary fallback={<Skeleton className="h-56" />}>
            <CreateProposal governor={governor} timelock={timelock} />
          </WalletBoundary>
        ) : (
          <p className="text-sm text-muted">No governor is deployed on this chain.</p>
        )}
      </section>
    </>
  );
}
