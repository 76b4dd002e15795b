import { EmptyState, TableScroll, table, td, th, thead, tr } from "@/components/page-header";
import type { RoundProgress } from "@/lib/scheduler/job-progress";
import { formatAccuracy, formatLoss } from "./format";

/**
 * One row per aggregated round: Round, Train loss, Held-out loss, Held-out accuracy, in that order.
 * Other e2e journeys read this table by its caption "Rounds" and `tr[data-round]`: keep both.
 */
export function RoundsTable({ rounds }: { rounds: RoundProgress[] }) {
  const done = rounds.filter((r) => r.status === "aggregated");
  if (done.length === 0) {
    return (
      <EmptyState title="No rounds yet">
        No rounds yet — start a worker on{" "}
        <a className="prose-link" href="/worker">
          /worker
        </a>{" "}
        (or <code>npm run worker</code>) and the first round appears here once its fragments are accepted.
      </EmptyState>
    );
  }
  return (
    <TableScroll label="Rounds">
      <table className={table}>
        <caption className="mb-2 text-left text-lg font-medium">Rounds</caption>
        <thead className={thead}>
          <tr>
            <th scope="col" className={th}>Round</th>
            <th scope="col" className={`${th} text-right`}>Train loss</th>
            <th scope="col" className={`${th} text-right`}>Held-out loss</th>
            <th scope="col" className={`${th} text-right`}>Held-out accuracy</th>
          </tr>
        </thead>
        <tbody>
          {done.map((r) => (
            <tr key={r.round} data-round={r.round} className={tr}>
              <td className={`${td} tabular-nums`}>{r.round}</td>
              <td className={`${td} text-right tabular-nums`}>{formatLoss(r.trainLoss)}</td>
              <td className={`${td} text-right tabular-nums`}>{formatLoss(r.heldOutLoss)}</td>
              <td className={`${td} text-right tabular-nums`}>{formatAccuracy(r.heldOutAccuracy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
