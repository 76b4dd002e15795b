import Link from "next/link";
import { TableScroll, table, td, th } from "@/components/page-header";
import { shortHex } from "@/lib/mirror/format";

type JobRow = { id: string; status: string; specHash: string; creator: string; datasetName: string; fragmentCount: number; taskId: string | null; createdAt: string };

/** Jobs known to the coordinator, with the status their on-chain task gives them. */
export function JobList({ jobs }: { jobs: JobRow[] }) {
  if (jobs.length === 0) return null;
  return (
    <section className="mb-8">
      <h2 className="mb-2 text-lg font-medium">Training jobs</h2>
      <TableScroll label="Training jobs">
      <table className={table}>
        <thead className="text-muted">
          <tr>
            <th className={th}>Job</th>
            <th className={th}>Dataset</th>
            <th className={th}>Creator</th>
            <th className={th}>Spec hash</th>
            <th className={`${th} text-right`}>Fragments</th>
            <th className={th}>Task</th>
            <th className={th}>Status</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} className="border-t border-line">
              <td className={td}>
                <Link href={`/jobs/${j.id}`} className="prose-link">{j.id.slice(0, 8)}</Link>
              </td>
              <td className={td}>{j.datasetName}</td>
              <td className={`${td} font-mono text-xs`} title={j.creator}>{shortHex(j.creator)}</td>
              <td className={`${td} font-mono text-xs`} title={j.specHash}>{shortHex(j.specHash, 6)}</td>
              <td className={`${td} text-right tabular-nums`}>{j.fragmentCount}</td>
              <td className={td}>{j.taskId ?? "—"}</td>
              <td className={td}>{j.status.replace("_", " ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableScroll>
    </section>
  );
}
