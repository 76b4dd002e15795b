import { EmptyState } from "@/components/ui/empty-state";
import { Section } from "@/components/ui/section";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import type { nodeStakeHistory } from "@/lib/mirror";
import { formatDateTime } from "@/lib/format";
import { formatCxt } from "@/lib/mirror";

type StakeChange = Awaited<ReturnType<typeof nodeStakeHistory>>[number];

/** The node's latest stake movements, newest first, with the balances each left behind. */
export function StakeHistory({ history }: { history: StakeChange[] }) {
  return (
    <Section id="history" title="Stake history">
      {history.length === 0 ? (
        <EmptyState>No stake has moved on this node yet.</EmptyState>
      ) : (
        <TableScroll label="Stake history" className="mt-3">
          <Table>
            <THead>
              <tr>
                <Th>When</Th>
                <Th>Change</Th>
                <Th numeric>Amount</Th>
                <Th numeric>Stake after</Th>
                <Th numeric>Unbonding after</Th>
              </tr>
            </THead>
            <tbody>
              {history.map((h) => (
                <Tr key={`${h.blockNumber}-${h.logIndex}`}>
                  <Td title={`block ${h.blockNumber}`}>{formatDateTime(h.timestamp)}</Td>
                  <Td>{h.kind}</Td>
                  <Td numeric>{formatCxt(h.amount)}</Td>
                  <Td numeric>{formatCxt(h.stake)}</Td>
                  <Td numeric>{formatCxt(h.unbonding)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </TableScroll>
      )}
    </Section>
  );
}
