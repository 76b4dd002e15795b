import Link from "next/link";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import type { CatalogueEntry } from "@/lib/datasets/client";
import { shortHex } from "@/lib/format/client";
import { formatShape, formatShare } from "./format";

/** The catalogue: one `tr[data-dataset]` per published dataset. */
export function CatalogueTable({ datasets }: { datasets: CatalogueEntry[] }) {
  return (
    <TableScroll label="Datasets">
      <Table>
        <caption className="sr-only">Published datasets</caption>
        <THead>
          <tr>
            <Th>Dataset</Th>
            <Th>Provider</Th>
            <Th>Licence</Th>
            <Th>Size</Th>
            <Th numeric>Fee share</Th>
            <Th numeric>Jobs trained</Th>
          </tr>
        </THead>
        <tbody>
          {datasets.map((d) => (
            <Tr key={d.id} data-dataset={d.id}>
              <Td>
                <Link href={`/datasets/${d.id}`} className="prose-link font-medium">
                  {d.title}
                </Link>
                <span className="ml-2 text-xs text-muted">{d.kind === "text" ? "text" : "table"}</span>
              </Td>
              <Td>
                <span className="font-mono text-xs" title={d.provider}>
                  {shortHex(d.provider)}
                </span>
              </Td>
              <Td>{d.license}</Td>
              <Td>{formatShape(d)}</Td>
              <Td numeric>{formatShare(d.feeBps)}</Td>
              <Td numeric>{d.jobsTrained.toLocaleString("en")}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </TableScroll>
  );
}
