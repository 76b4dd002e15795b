import { EmptyState } from "@/components/ui/empty-state";
import { TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import type { Proof } from "@/lib/protocol";
import { formatAccuracy, formatLoss } from "./format";
import { ReverifyButton } from "./reverify-button";

function Hash({ label, sha }: { label: string; sha: string | null }) {
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd className="break-all font-mono text-xs">
        {sha ? (
          <a className="prose-link" href={`/api/blobs/${sha}`}>
            {sha}
          </a>
        ) : (
          "—"
        )}
      </dd>
    </>
  );
}

/**
 * Rounds whose records the page shows unless asked for the whole chain (`?proof=all`): it re-renders
 * every few seconds while a job trains, and a long job's whole chain (every fragment of every round)
 * would be read and sent each time.
 */
export const PROOF_ROUNDS_SHOWN = 5;

/**
 * The job's proof of training: each round record (W_r, optimizer state, accepted delta hashes,
 * W_{r+1}, metrics), every fragment with a button that re-verifies it in this browser.
 */
export function ProofChain({ jobId, proof, totalRounds }: { jobId: string; proof: Proof; totalRounds: number }) {
  if (proof.rounds.length === 0) return <EmptyState>No round records yet: round 0 opens once the job&apos;s task is active.</EmptyState>;
  // The newest aggregated round starts open: its accepted deltas are published, so its fragments can be re-verified.
  const last = [...proof.rounds].reverse().find((r) => r.status === "aggregated")?.round ?? proof.rounds[proof.rounds.length - 1]!.round;
  const shown = proof.rounds; // the newest ones unless the page asked for all (PROOF_ROUNDS_SHOWN)
  const hidden = totalRounds - shown.length; // < 0 when a round opened between the page's two reads
  return (
    <div className="space-y-3">
      <p className="text-sm text-muted">
        Anyone can recompute any accepted fragment from W_r and its shard: below in this browser, or for the whole chain with the
        command under Hashes and commands. Tolerance: relative L2 ≤ {proof.tolerance.relativeL2}.
      </p>
      {hidden > 0 ? (
        <p className="text-sm">
          Showing rounds {shown[0]!.round}–{shown[shown.length - 1]!.round} of {totalRounds}.{" "}
          <a className="prose-link" href={`/jobs/${jobId}?proof=all#proof`}>
            Show all {totalRounds} rounds
          </a>
        </p>
      ) : null}
      {shown.map((r) => (
        <details key={r.round} open={r.round === last} className="rounded border border-line p-3" data-proof-round={r.round}>
          <summary className="cursor-pointer text-sm font-medium">
            Round {r.round} · {r.status}
            {r.status === "aggregated" ? ` · train loss ${formatLoss(r.trainLoss)} · held-out accuracy ${formatAccuracy(r.heldOutAccuracy)}` : null}
          </summary>
          <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
            <Hash label="W_r" sha={r.weightsSha256} />
            <Hash label="Optimizer state" sha={r.optimizerStateSha256} />
            <Hash label="W_{r+1}" sha={r.nextWeightsSha256} />
          </dl>
          <TableScroll label={`Fragments of round ${r.round}`} className="mt-3">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <THead>
                <tr>
                  <Th scope="col">Shard</Th>
                  <Th scope="col">State</Th>
                  <Th scope="col">Accepted delta</Th>
                  <Th scope="col" numeric>Results</Th>
                  <Th scope="col">Check</Th>
                </tr>
              </THead>
              <tbody>
                {r.fragments.map((f) => (
                  <Tr key={f.id} data-fragment={`${r.round}:${f.shard}`}>
                    <Td className="tabular-nums">{f.shard}</Td>
                    <Td>{f.status}</Td>
                    <Td mono>
                      {f.acceptedSha256 ? (
                        <a className="prose-link" href={`/api/blobs/${f.acceptedSha256}`} title={f.acceptedSha256}>
                          {f.acceptedSha256.slice(0, 16)}…
                        </a>
                      ) : (
                        <span className="text-muted">{f.status === "accepted" ? "published when the round aggregates" : "—"}</span>
                      )}
                    </Td>
                    <Td numeric>{f.results.length}</Td>
                    <Td>{f.status === "accepted" && f.acceptedSha256 ? <ReverifyButton jobId={jobId} round={r.round} shard={f.shard} /> : null}</Td>
                  </Tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </details>
      ))}
    </div>
  );
}
