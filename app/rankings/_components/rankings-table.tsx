import Link from "next/link";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { nodeWeight, tierTable, type rankingPage, type RankingSort } from "@/lib/mirror";
import { formatCxt, formatFlops, shortHex, tierName } from "@/lib/mirror";

type RankedNode = Awaited<ReturnType<typeof rankingPage>>["nodes"][number];
type Dir = "asc" | "desc";
/** The URL of the rankings with part of the query changed. */
type Href = (over: { sort?: RankingSort; dir?: Dir; page?: number }) => string;

const columns: { key: RankingSort | null; label: string; right?: boolean }[] = [
  { key: "rank", label: "Rank" },
  { key: null, label: "Node" },
  { key: null, label: "Owner" },
  { key: "tier", label: "Tier" },
  { key: null, label: "Multiplier", right: true },
  { key: "weight", label: "Weight", right: true },
  { key: "work", label: "Verified work", right: true },
  { key: "stake", label: "Stake (CXT)", right: true },
];

/** One page of the ranked nodes; the sortable columns' headings link to the other order. */
export function RankingsTable({ nodes, sort, dir, offset, href }: { nodes: RankedNode[]; sort: RankingSort; dir: Dir; offset: number; href: Href }) {
  return (
    <TableScroll label="Node rankings" className="mt-6">
      <Table>
        <THead>
          <tr>
            {columns.map((c) => {
              const active = c.key === sort;
              return (
                <Th
                  key={c.label}
                  numeric={c.right}
                  aria-sort={active ? (c.key === "rank" || dir === "desc" ? "descending" : "ascending") : undefined}
                >
                  {c.key ? (
                    <Link className="prose-link" href={href({ sort: c.key, dir: active && dir === "desc" && c.key !== "rank" ? "asc" : "desc", page: 1 })}>
                      {c.label}
                      {active && c.key !== "rank" ? (dir === "desc" ? " ↓" : " ↑") : ""}
                    </Link>
                  ) : (
                    c.label
                  )}
                </Th>
              );
            })}
          </tr>
        </THead>
        <tbody>
          {nodes.map((n, i) => {
            const stake = BigInt(n.stake.toFixed());
            return (
              <Tr key={n.nodeId.toString()}>
                <Td>{offset + i + 1}</Td>
                <Td>
                  <Link className="prose-link" href={`/nodes/${n.nodeId}`}>
                    #{n.nodeId.toString()}
                  </Link>
                </Td>
                <Td mono title={n.owner}>
                  {shortHex(n.owner)}
                </Td>
                <Td>{tierName(n.tier)}</Td>
                <Td numeric>{(Number(tierTable[n.tier]?.multiplierBps ?? 10_000n) / 10_000).toFixed(2)}×</Td>
                <Td numeric>{formatCxt(nodeWeight(stake, n.tier, n.active))}</Td>
                <Td numeric>{formatFlops(n.workUnits)}</Td>
                <Td numeric>{formatCxt(n.stake)}</Td>
              </Tr>
            );
          })}
        </tbody>
      </Table>
    </TableScroll>
  );
}
