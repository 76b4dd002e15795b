import type { ComponentProps } from "react";
import { cx } from "./cx";

type Density = {
  /** Tighter vertical padding, for forms with many fields in a grid. */
  compact?: boolean;
};

const field = (compact: boolean | undefined, className: string | undefined) =>
  cx("w-full rounded border border-line-strong bg-bg px-2 text-sm", compact ? "py-1" : "py-1.5", className);

export function Input({ compact, className, ...props }: ComponentProps<"input"> & Density) {
  return <input className={field(compact, className)} {...props} />;
}

export function Select({ compact, className, ...props }: ComponentProps<"select"> & Density) {
  return <select className={field(compact, className)} {...props} />;
}

export function Textarea({ compact, className, ...props }: ComponentProps<"textarea"> & Density) {
  return <textarea className={field(compact, className)} {...props} />;
}
