import Link from "next/link";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { shortHex } from "@/lib/mirror";

type JobRow = { id: string; status: string; specHash: string; creator: string; datasetName: string; fragmentCount: number; taskId: string | null; createdAt: string };

/** Jobs known to the coordinator, with the status their on-chain task gives them. */
export function JobList({ jobs }: { jobs: JobRow[] }) {
  if (jobs.length === 0) return null;
  return (
    <section className="mb-8">
      <h2 className="mb-2 text-lg font-medium">Training jobs</h2>
      <TableScroll label="Training jobs">
      <Table>
        <THead>
          <tr>
            <Th>Job</Th>
            <Th>Dataset</Th>
            <Th>Creator</Th>
            <Th>Spec hash</Th>
            <Th numeric>Fragments</Th>
            <Th>Task</Th>
            <Th>Status</Th>
          </tr>
        </THead>
        <tbody>
          {jobs.map((j) => (
            <Tr key={j.id}>
              <Td>
                <Link href={`/jobs/${j.id}`} className="prose-link">{j.id.slice(0, 8)}</Link>
              </Td>
              <Td>{j.datasetName}</Td>
              <Td mono title={j.creator}>{shortHex(j.creator)}</Td>
              <Td mono title={j.specHash}>{shortHex(j.specHash, 6)}</Td>
              <Td numeric>{j.fragmentCount}</Td>
              <Td>{j.taskId ?? "—"}</Td>
              <Td>{j.status.replace("_", " ")}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
      </TableScroll>
    </section>
  );
}
