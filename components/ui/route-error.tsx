"use client";

import Link from "next/link";

export type RouteErrorProps = { error: Error & { digest?: string }; reset: () => void };

/** A route group's error boundary body: what failed, the message and digest, retry, and one way out. */
export function RouteError({ title, error, reset, back }: RouteErrorProps & { title: string; back: { href: string; label: string } }) {
  return (
    <div role="alert" className="rounded border border-danger-line bg-danger-bg p-6">
      <h1 className="text-lg font-semibold text-danger">{title}</h1>
      <p className="mt-2 text-sm text-danger">{error.message}</p>
      {error.digest ? <p className="mt-1 font-mono text-xs text-danger">digest {error.digest}</p> : null}
      <div className="mt-4 flex items-center gap-4 text-sm">
        <button type="button" onClick={reset} className="rounded bg-accent-solid px-3 py-1 font-medium text-on-accent">
          Try again
        </button>
        <Link href={back.href} className="prose-link">
          {back.label}
        </Link>
      </div>
    </div>
  );
}
