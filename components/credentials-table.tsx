import Link from "next/link";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import type { listCredentials } from "@/lib/epochs";
import { formatFlops, shortHex } from "@/lib/mirror";

export type CredentialRow = Awaited<ReturnType<typeof listCredentials>>["credentials"][number];

/**
 * Contribution credentials, each linked to its proof page: a node's own (no node column) and the
 * explorer's search results (with one). The explorer underlines its links without the accent colour.
 */
export function CredentialsTable({
  label,
  credentials,
  showNode = false,
  linkClassName = "prose-link",
}: {
  label: string;
  credentials: CredentialRow[];
  showNode?: boolean;
  linkClassName?: string;
}) {
  return (
    <TableScroll label={label}>
      <Table>
        <THead>
          <tr><Th>Credential</Th><Th>Epoch</Th>{showNode ? <Th>Node</Th> : null}<Th>Role</Th><Th>Job</Th><Th numeric>Work</Th></tr>
        </THead>
        <tbody>
          {credentials.map((c) => (
            <Tr key={c.id}>
              <Td mono><Link className={linkClassName} href={`/explorer/credentials/${c.id}`}>{shortHex(c.id, 6)}</Link></Td>
              <Td>{c.epoch ?? "pending"}</Td>
              {showNode ? <Td><Link className={linkClassName} href={`/nodes/${c.nodeId}`}>#{c.nodeId}</Link></Td> : null}
              <Td>{c.role}</Td>
              <Td mono>{c.jobId.slice(0, 12)}</Td>
              <Td numeric>{formatFlops(c.workUnits)}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </TableScroll>
  );
}
