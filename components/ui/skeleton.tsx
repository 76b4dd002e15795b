import { cx } from "./cx";

/** A grey block that stands in for content while it loads, sized like it so nothing jumps. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cx("animate-pulse rounded bg-surface", className)} />;
}
