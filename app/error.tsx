"use client";

export default function ErrorBoundary({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded border border-danger-line bg-danger-bg p-6">
      <h1 className="text-lg font-semibold text-danger">Something went wrong</h1>
      <p className="mt-2 text-sm text-danger">{error.message}</p>
      {error.digest ? <p className="mt-1 font-mono text-xs text-danger">digest {error.digest}</p> : null}
      <button type="button" onClick={reset} className="mt-4 rounded bg-red-700 px-3 py-1 text-sm text-white">
        Try again
      </button>
    </div>
  );
}
