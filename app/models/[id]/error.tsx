"use client";

import Link from "next/link";

/** A model page that failed to render: what happened, retry, and the way back to the registry. */
export default function ModelError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded border border-danger-line bg-danger-bg p-6">
      <h1 className="text-lg font-semibold text-danger">This model could not be loaded</h1>
      <p className="mt-2 text-sm text-danger">{error.message}</p>
      {error.digest ? <p className="mt-1 font-mono text-xs text-danger">digest {error.digest}</p> : null}
      <div className="mt-4 flex items-center gap-4 text-sm">
        <button type="button" onClick={reset} className="rounded bg-accent-solid px-3 py-1 font-medium text-on-accent">
          Try again
        </button>
        <Link href="/models" className="prose-link">
          All models
        </Link>
      </div>
    </div>
  );
}
