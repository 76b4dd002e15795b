import type { ComponentProps } from "react";
import { cx } from "./cx";

/** The primary action button. `type` is passed through: forms decide which button submits. */
export function Button({ className, ...props }: ComponentProps<"button">) {
  return (
    <button
      className={cx("rounded bg-accent-solid px-3 py-1.5 text-sm font-medium text-on-accent disabled:cursor-not-allowed disabled:opacity-50", className)}
      {...props}
    />
  );
}
