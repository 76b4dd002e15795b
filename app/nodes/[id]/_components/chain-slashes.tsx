import { Section } from "@/components/ui/section";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import type { nodeSlashes } from "@/lib/mirror";
import { formatDateTime } from "@/lib/format";
import { formatCxt, shortHex } from "@/lib/mirror";

type Slash = Awaited<ReturnType<typeof nodeSlashes>>[number];

/**
 * Slashes as the chain recorded them. A slash names the evidence hash of the fault record it burned
 * for, so where the coordinator holds that record its evidence links to it.
 */
export function ChainSlashes({ slashes, faults }: { slashes: Slash[]; faults: { id: string; evidenceHash: string }[] }) {
  const faultByEvidence = new Map(faults.map((f) => [f.evidenceHash.toLowerCase(), f.id]));
  return (
    <Section id="faults" title="Slashes on chain">
      {slashes.length === 0 ? (
        <p className="mt-2 text-sm text-muted">No slash recorded for this node.</p>
      ) : (
        <TableScroll label="Slashes" className="mt-3">
          <Table>
            <THead>
              <tr>
                <Th>When</Th>
                <Th numeric>Share</Th>
                <Th numeric>Burned from stake</Th>
                <Th numeric>Burned from unbonding</Th>
                <Th>Evidence</Th>
              </tr>
            </THead>
            <tbody>
              {slashes.map((s) => {
                const fault = faultByEvidence.get(s.evidenceHash.toLowerCase());
                return (
                  <Tr key={`${s.blockNumber}-${s.logIndex}`}>
                    <Td title={`block ${s.blockNumber}`}>{formatDateTime(s.timestamp)}</Td>
                    <Td numeric>{s.bps / 100}%</Td>
                    <Td numeric>{formatCxt(s.fromStake)}</Td>
                    <Td numeric>{formatCxt(s.fromUnbonding)}</Td>
                    <Td mono title={s.evidenceHash}>
                      {fault !== undefined ? (
                        <a className="prose-link" href={`/api/faults/${encodeURIComponent(fault)}`}>
                          {shortHex(s.evidenceHash, 6)}
                        </a>
                      ) : (
                        shortHex(s.evidenceHash, 6)
                      )}
                    </Td>
                  </Tr>
                );
              })}
            </tbody>
          </Table>
        </TableScroll>
      )}
    </Section>
  );
}
