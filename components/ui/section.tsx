import type { ReactNode } from "react";

/**
 * A titled part of a page: a `<section>` named by its `<h2>` (so it is a landmark screen readers
 * can jump to). The children set their own distance from the heading.
 */
export function Section({ id, title, className = "mt-8", children }: { id: string; title: ReactNode; className?: string; children: ReactNode }) {
  return (
    <section className={className} aria-labelledby={id}>
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
