import { ProgressBar } from "@/components/progress-bar";
import { fragmentStates, type JobProgress } from "@/lib/scheduler";

const stateHelp: Record<(typeof fragmentStates)[number], string> = {
  open: "waiting for a node",
  leased: "being computed",
  submitted: "results waiting for verification or the rest of the quorum",
  disputed: "replicas disagreed; the CPU referee decides",
  accepted: "agreed by k replicas or confirmed by the reference",
};

/** Aggregated rounds shown before the first round still training (older ones are summed up in a line). */
const RECENT_AGGREGATED = 2;

/**
 * Overall progress, a bar per round still training and the last aggregated ones (fragments accepted
 * of S, replicas in flight), fragments by state. A 40-round job would otherwise list 40 full bars.
 */
export function RoundProgress({ progress }: { progress: JobProgress }) {
  const firstLive = progress.rounds.findIndex((r) => r.status !== "aggregated");
  const from = Math.max(0, (firstLive === -1 ? progress.rounds.length : firstLive) - RECENT_AGGREGATED);
  const shown = progress.rounds.slice(from);
  return (
    <div className="space-y-4">
      <ProgressBar
        value={progress.totalRounds ? progress.done / progress.totalRounds : 0}
        label="Rounds aggregated"
        detail={`${progress.done} / ${progress.totalRounds}`}
      />
      {from > 0 ? (
        <p className="text-sm text-muted">
          {from === 1 ? "Round 0 aggregated" : `Rounds 0–${from - 1} aggregated`}: all fragments accepted.
        </p>
      ) : null}
      {shown.length > 0 ? (
        <ol className="grid gap-3 sm:grid-cols-2" aria-label="Progress per round">
          {shown.map((r) => (
            <li key={r.round} data-round-progress={r.round}>
              <ProgressBar
                value={r.shards ? r.accepted / r.shards : 0}
                label={`Round ${r.round}${r.status === "aggregated" ? " · aggregated" : ""}`}
                detail={`${r.accepted} / ${r.shards} accepted${r.inFlight ? ` · ${r.inFlight} in flight` : ""}`}
              />
            </li>
          ))}
        </ol>
      ) : null}
      <div>
        <h3 className="text-sm font-medium">Fragments by state</h3>
        <dl className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-5" data-testid="fragment-states">
          {fragmentStates.map((s) => (
            <div key={s} className="rounded border border-line p-2" title={stateHelp[s]} data-state={s}>
              <dt className="text-xs text-muted">{s}</dt>
              <dd className="text-lg font-semibold tabular-nums">{progress.states[s]}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
