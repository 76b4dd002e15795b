import type { ReactNode } from "react";

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
