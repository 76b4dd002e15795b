import { Countdown } from "@/components/live";
import { Section } from "@/components/ui/section";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import type { Tranche } from "@/lib/mirror";
import { formatCxtWithUnit } from "@/lib/mirror";

/** Stake on its way out, with the chain time each tranche can be withdrawn at. */
export function UnbondingTranches({ tranches, chainNow, renderedAt }: { tranches: Tranche[]; chainNow: Date; renderedAt: Date }) {
  return (
    <Section id="tranches" title="Unbonding tranches">
      {tranches.length === 0 ? (
        <p className="mt-2 text-sm text-muted">Nothing is unbonding. Request an unstake to start a tranche; it can be withdrawn once its time has come.</p>
      ) : (
        <TableScroll label="Unbonding tranches" className="mt-3">
          <Table data-testid="tranches">
            <THead>
              <tr>
                <Th>#</Th>
                <Th numeric>Amount</Th>
                <Th>Release (chain time)</Th>
                <Th>Time left</Th>
              </tr>
            </THead>
            <tbody>
              {tranches.map((t, i) => (
                <Tr key={i}>
                  <Td>{i + 1}</Td>
                  <Td numeric>{formatCxtWithUnit(t.amount)}</Td>
                  <Td>{t.releaseAt.toISOString().replace("T", " ").slice(0, 19)} UTC</Td>
                  <Td>
                    <Countdown target={t.releaseAt.toISOString()} chainNow={chainNow.toISOString()} renderedAt={renderedAt.toISOString()} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </TableScroll>
      )}
    </Section>
  );
}
