import { ProgressBar } from "@/components/progress-bar";
import { fragmentStates, type JobProgress } from "@/lib/scheduler/job-progress";

const stateHelp: Record<(typeof fragmentStates)[number], string> = {
  open: "waiting for a node",
  leased: "being computed",
  submitted: "results waiting for verification or the rest of the quorum",
  disputed: "replicas disagreed; the CPU referee decides",
  accepted: "agreed by k replicas or confirmed by the reference",
};

/** Overall progress, one bar per round (fragments accepted of S, replicas in flight), fragments by state. */
export function RoundProgress({ progress }: { progress: JobProgress }) {
  return (
    <div className="space-y-4">
      <ProgressBar
        value={progress.totalRounds ? progress.done / progress.totalRounds : 0}
        label="Rounds aggregated"
        detail={`${progress.done} / ${progress.totalRounds}`}
      />
      {progress.rounds.length > 0 ? (
        <ol className="grid gap-3 sm:grid-cols-2" aria-label="Progress per round">
          {progress.rounds.map((r) => (
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
