import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import type { RoundProgress } from "@/lib/scheduler";
import { formatAccuracy, formatLoss } from "./format";

/**
 * One row per aggregated round: Round, Train loss, Held-out loss, Held-out accuracy, in that order; for a
 * language model Round, Train loss, Validation loss (nats per character; it has no accuracy).
 * Other e2e journeys read this table by its caption "Rounds", `tr[data-round]` and the column names: keep them.
 */
export function RoundsTable({ rounds, language = false }: { rounds: RoundProgress[]; language?: boolean }) {
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
      <Table>
        <caption className="mb-2 text-left text-lg font-medium">Rounds</caption>
        <THead>
          <tr>
            <Th scope="col">Round</Th>
            <Th scope="col" numeric>Train loss</Th>
            <Th scope="col" numeric>{language ? "Validation loss" : "Held-out loss"}</Th>
            {language ? null : <Th scope="col" numeric>Held-out accuracy</Th>}
          </tr>
        </THead>
        <tbody>
          {done.map((r) => (
            <Tr key={r.round} data-round={r.round}>
              <Td className="tabular-nums">{r.round}</Td>
              <Td numeric>{formatLoss(r.trainLoss)}</Td>
              <Td numeric>{formatLoss(r.heldOutLoss)}</Td>
              {language ? null : <Td numeric>{formatAccuracy(r.heldOutAccuracy)}</Td>}
            </Tr>
          ))}
        </tbody>
      </Table>
    </TableScroll>
  );
}
