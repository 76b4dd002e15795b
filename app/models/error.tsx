"use client";

import Link from "next/link";

/** The registry failed to render: what happened, retry, and a way elsewhere. */
export default function ModelsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded border border-danger-line bg-danger-bg p-6">
      <h1 className="text-lg font-semibold text-danger">The models could not be loaded</h1>
      <p className="mt-2 text-sm text-danger">{error.message}</p>
      {error.digest ? <p className="mt-1 font-mono text-xs text-danger">digest {error.digest}</p> : null}
      <div className="mt-4 flex items-center gap-4 text-sm">
        <button type="button" onClick={reset} className="rounded bg-accent-solid px-3 py-1 font-medium text-on-accent">
          Try again
        </button>
        <Link href="/jobs" className="prose-link">
          Jobs
        </Link>
      </div>
    </div>
  );
}
