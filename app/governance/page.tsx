import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { LiveRefresh } from "@/components/live";
import { WalletBoundary } from "@/components/wallet";
import type { Address } from "viem";
import { corexGovernorAbi } from "@/contracts-abi";
import { contractAddress, serverPublicClient } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain";
import { serverEnv } from "@/lib/env";
import { formatCountdown, listProposals, mirrorClock, parseActions, proposalPhase } from "@/lib/mirror";
import { formatCxt, formatDateTime, formatPercent, shortHex } from "@/lib/format";
import { CreateProposal } from "./_components/create-proposal";
import { ProposalActions } from "./_components/proposal-actions";

export const metadata: Metadata = { title: "Governance" };
export const dynamic = "force-dynamic";

/** A vote boundary (seconds: the governor's clock is timestamps) as "YYYY-MM-DD HH:MM". */
const utc = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace("T", " ").slice(0, 16);

/** When the vote opens or closes, as a person reads it: "ends in 23 h 59 min (2026-12-08 11:20 UTC)". */
function voteWindowText(phase: string, start: bigint, end: bigint, head: bigint): string {
  const inTime = (t: bigint) => formatCountdown(Number(t - head) * 1000);
  if (phase === "pending") return `voting opens in ${inTime(start)} (${utc(start)} UTC)`;
  if (phase === "active") return `voting ends in ${inTime(end)} (${utc(end)} UTC)`;
  return `voting ended ${utc(end)} UTC`;
}

/**
 * The quorum each proposal needs (For + Abstain weight), from the governor itself: max(quorum % of the
 * total weight at the snapshot, the bootstrap floor). Unknown (null) before the snapshot is in the past.
 */
async function quorums(governor: Address | undefined, proposals: { proposalId: { toFixed(): string }; voteStart: bigint }[], head: bigint) {
  if (!governor) return new Map<string, bigint>();
  const client = serverPublicClient();
  const entries = await Promise.all(
    proposals.map(async (p) => {
      if (p.voteStart >= head) return null;
      const q = await client.readContract({ address: governor, abi: corexGovernorAbi, functionName: "quorum", args: [p.voteStart] }).catch(() => null);
      return q === null ? null : ([p.proposalId.toFixed(), q] as const);
    }),
  );
  return new Map(entries.filter((e) => e !== null));
}

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
  const now = head ?? 0n;
  const quorum = await quorums(governor, proposals, now);
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
              const phase = proposalPhase(p, now);
              const needed = quorum.get(p.proposalId.toFixed());
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
                    by <span className="font-mono">{shortHex(p.proposer)}</span> ·{" "}
                    <span data-testid="vote-window">{voteWindowText(phase, p.voteStart, p.voteEnd, now)}</span> · {p.voteCount} vote
                    {p.voteCount === 1 ? "" : "s"}
                    {p.eta ? ` · executable after ${formatDateTime(p.eta)}` : ""}
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
                  {needed !== undefined ? <QuorumBar counted={votes[0] + votes[2]} needed={needed} /> : null}
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

/** For + Abstain against the quorum: the bar fills to the quorum line, the words say the same. */
function QuorumBar({ counted, needed }: { counted: bigint; needed: bigint }) {
  const share = needed === 0n ? 1 : Number((counted * 10_000n) / needed) / 10_000;
  const reached = counted >= needed;
  return (
    <div className="mt-3 text-sm" data-testid="quorum">
      <div className="flex flex-wrap justify-between gap-2 text-xs text-muted">
        <span>
          Quorum {reached ? "reached" : "not reached"}: {formatCxt(counted)} of {formatCxt(needed)} (For + Abstain)
        </span>
        <span>{formatPercent(share, 0)}</span>
      </div>
      <div
        role="meter"
        aria-label="Quorum"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(Math.min(1, share) * 100)}
        className="mt-1 h-2 overflow-hidden rounded-full bg-surface"
      >
        <div className={`h-full ${reached ? "bg-accent-solid" : "bg-muted"}`} style={{ width: `${Math.min(1, share) * 100}%` }} />
      </div>
    </div>
  );
}
