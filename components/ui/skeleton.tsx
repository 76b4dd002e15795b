import { cx } from "./cx";

/** A grey block that stands in for content while it loads, sized like it so nothing jumps. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cx("animate-pulse rounded bg-surface", className)} />;
}

/**
 * A page's loading shape: a title and a lead line, then one block per height (Tailwind classes), so a
 * route's `loading.tsx` states only what differs (its label and its sections' heights).
 */
export function PageSkeleton({ label, blocks, titleWidth = "w-1/3" }: { label: string; blocks: string[]; titleWidth?: string }) {
  return (
    <div role="status" aria-busy="true" aria-label={label} className={blocks.length > 1 ? "space-y-8" : "space-y-6"}>
      <div className="space-y-2">
        <Skeleton className={cx("h-8", titleWidth)} />
        <Skeleton className="h-4 w-2/3" />
      </div>
      {blocks.map((height, i) => (
        <Skeleton key={i} className={height} />
      ))}
    </div>
  );
}
