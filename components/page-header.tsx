import type { ReactNode } from "react";

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-6">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {children ? <div className="mt-2 max-w-3xl text-sm text-muted">{children}</div> : null}
    </div>
  );
}

/** What is missing and what to do next: a title, a hint and, where there is one, the action. */
export function EmptyState({ title, children, action }: { title?: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded border border-dashed border-line-strong p-6 text-center text-sm text-muted">
      {title ? <p className="mb-1 font-medium text-fg">{title}</p> : null}
      <div>{children}</div>
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}

/**
 * A table that scrolls sideways inside its own box at phone width instead of widening the page.
 * Focusable and labelled, so keyboard users can scroll it too (axe: scrollable-region-focusable).
 */
export function TableScroll({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0 ${className}`}>
      {children}
    </div>
  );
}

export const table = "w-full min-w-[36rem] text-left text-sm";
export const thead = "text-muted";
export const th = "whitespace-nowrap px-2 py-1.5 font-normal";
export const td = "whitespace-nowrap px-2 py-1.5";
export const tr = "border-t border-line";

/** A grey block that stands in for content while it loads, sized like it so nothing jumps. */
export function Skeleton({ className = "" }: { className?: string }) {
  return <div aria-hidden className={`animate-pulse rounded bg-surface ${className}`} />;
}
