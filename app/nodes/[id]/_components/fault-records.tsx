import { Section } from "@/components/ui/section";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { explorerTxUrl } from "@/lib/chain";
import type { listFaultsOfNode } from "@/lib/epochs";
import { shortHex } from "@/lib/mirror";
import type { Chain } from "viem";

type Fault = Awaited<ReturnType<typeof listFaultsOfNode>>[number];

/** The coordinator's fault records for this node and the slash transaction each one sent. */
export function FaultRecords({ faults, chain }: { faults: Fault[]; chain: Chain }) {
  return (
    <Section id="fault-records" title="Faults and slashes">
      {faults.length === 0 ? (
        <p className="mt-2 text-sm text-muted">No fault recorded: no slash.</p>
      ) : (
        <TableScroll label="Faults" className="mt-2">
          <Table>
            <THead>
              <tr><Th>Fault (evidence)</Th><Th>Evidence hash</Th><Th>Slash</Th><Th>Slash transaction</Th></tr>
            </THead>
            <tbody>
              {faults.map((f) => (
                <Tr key={f.id}>
                  <Td><a className="prose-link" href={`/api/faults/${encodeURIComponent(f.id)}`}>{f.id}</a></Td>
                  <Td mono title={f.evidenceHash}>{shortHex(f.evidenceHash, 6)}</Td>
                  <Td>{f.status === "sent" ? "slashed" : f.status}</Td>
                  <Td mono title={f.txHash ?? ""}>
                    {f.txHash ? <TxLink hash={f.txHash as `0x${string}`} href={explorerTxUrl(chain, f.txHash as `0x${string}`)} /> : "—"}
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

/** A transaction hash, linked to the configured block explorer when there is one. */
function TxLink({ hash, href }: { hash: `0x${string}`; href?: string }) {
  return href ? (
    <a className="prose-link" href={href} target="_blank" rel="noreferrer">
      {shortHex(hash, 6)}
    </a>
  ) : (
    <span>{shortHex(hash, 6)}</span>
  );
}
