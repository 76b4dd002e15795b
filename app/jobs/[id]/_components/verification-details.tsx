import type { JobView } from "./job-status";

/**
 * What a verifier needs and a visitor does not: the spec hash the on-chain task commits to, the data
 * shards it names, and the commands that re-check the run. Folded, at the head of Verification.
 */
export function VerificationDetails({ job }: { job: Pick<JobView, "id" | "specHash" | "taskId" | "spec"> }) {
  const shards = job.spec.shards ?? [];
  return (
    <details className="rounded border border-line p-3 text-sm" data-testid="verification-details">
      <summary className="cursor-pointer font-medium">Hashes and commands</summary>
      <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]">
        <dt className="text-muted">Spec hash{job.taskId ? ` (task #${job.taskId})` : ""}</dt>
        <dd className="break-all font-mono text-xs" data-testid="spec-hash">
          {job.specHash}
        </dd>
        <dt className="text-muted">Canonical spec</dt>
        <dd className="break-all font-mono text-xs">
          {/* An API response, not a page: a plain link (next/link would ask it for RSC). */}
          <a className="prose-link" href={`/api/jobs/${job.id}`}>
            GET /api/jobs/{job.id}
          </a>{" "}
          (its <code>canonicalSpec</code> hashes to the spec hash)
        </dd>
      </dl>
      {shards.length > 0 ? (
        <>
          <h3 className="mt-3 text-muted">
            Shards ({shards.length}) and held-out split
          </h3>
          <ul className="mt-1 space-y-0.5 break-all font-mono text-xs">
            {shards.map((s, i) => (
              <li key={s.sha256 + i}>
                shard {i}: <a className="prose-link" href={`/api/blobs/${s.sha256}`}>{s.sha256.slice(0, 16)}…</a> ({s.rows.toLocaleString("en")} rows)
              </li>
            ))}
            {job.spec.heldOut ? (
              <li>
                held out: <a className="prose-link" href={`/api/blobs/${job.spec.heldOut.sha256}`}>{job.spec.heldOut.sha256.slice(0, 16)}…</a> ({job.spec.heldOut.rows.toLocaleString("en")} rows)
              </li>
            ) : null}
          </ul>
        </>
      ) : null}
      <h3 className="mt-3 text-muted">Re-check the whole run from a terminal</h3>
      <pre className="mt-1 overflow-x-auto rounded bg-surface p-2 text-xs">
        <code>npm run verify-proof -- --api {"<this site>"} --job {job.id} --all</code>
      </pre>
    </details>
  );
}
