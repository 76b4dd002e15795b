import Link from "next/link";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatBytes } from "@/lib/models/client";
import type { ModelSummary } from "@/lib/models";
import { shortHex } from "@/lib/mirror";

/** The registry, newest first: one `tr[data-model]` per model. */
export function ModelTable({ models }: { models: ModelSummary[] }) {
  return (
    <TableScroll label="Models">
      <Table>
        <caption className="sr-only">Models</caption>
        <THead>
          <tr>
            <Th>Model</Th>
            <Th>Architecture</Th>
            <Th numeric>Parameters</Th>
            <Th numeric>Size</Th>
            <Th>Lineage</Th>
            <Th>Published</Th>
          </tr>
        </THead>
        <tbody>
          {models.map((m) => (
            <Tr key={m.id} data-model={m.id}>
              <Td>
                <Link href={`/models/${m.id}`} className="prose-link">
                  {m.name}
                </Link>
              </Td>
              <Td>{m.architecture}</Td>
              <Td numeric>{m.parameters.toLocaleString("en")}</Td>
              <Td numeric>{formatBytes(m.sizeBytes)}</Td>
              <Td>
                {m.lineage.kind === "job" ? (
                  <>
                    job{" "}
                    <Link href={`/jobs/${m.lineage.jobId}`} className="prose-link font-mono text-xs">
                      {m.lineage.jobId.slice(0, 8)}
                    </Link>
                  </>
                ) : (
                  <span title={m.lineage.uploadedBy}>
                    uploaded by <span className="font-mono text-xs">{shortHex(m.lineage.uploadedBy)}</span>
                  </span>
                )}
              </Td>
              <Td>
                <time dateTime={m.createdAt}>{m.createdAt.slice(0, 16).replace("T", " ")}</time>
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </TableScroll>
  );
}
