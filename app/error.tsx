"use client";

export default function ErrorBoundary({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded border border-red-800 bg-red-950/40 p-6">
      <h1 className="text-lg font-semibold text-red-200">Something went wrong</h1>
      <p className="mt-2 text-sm text-red-300">{error.message}</p>
      {error.digest ? <p className="mt-1 font-mono text-xs text-red-400">digest {error.digest}</p> : null}
      <button type="button" onClick={reset} className="mt-4 rounded bg-red-700 px-3 py-1 text-sm text-white">
        Try again
      </button>
    </div>
  );
}
