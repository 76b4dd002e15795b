import type { ComponentProps, ReactNode } from "react";
import { cx } from "./cx";

/**
 * A table that scrolls sideways inside its own box at phone width instead of widening the page.
 * Focusable and labelled, so keyboard users can scroll it too (axe: scrollable-region-focusable).
 */
export function TableScroll({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={cx("-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0", className)}>
      {children}
    </div>
  );
}

/** The app's data table: wide enough to stay legible, so TableScroll scrolls it on a phone. */
export function Table({ className, ...props }: ComponentProps<"table">) {
  return <table className={cx("w-full min-w-[36rem] text-left text-sm", className)} {...props} />;
}

export function THead({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cx("text-muted", className)} {...props} />;
}

export function Tr({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cx("border-t border-line", className)} {...props} />;
}

type CellLook = {
  /** A number: right-aligned (and, in a body cell, with figures of one width). */
  numeric?: boolean;
  /** A hash or an address. */
  mono?: boolean;
};

export function Th({ numeric, mono, className, ...props }: ComponentProps<"th"> & CellLook) {
  return <th className={cx("whitespace-nowrap px-2 py-1.5 font-normal", numeric && "text-right", mono && "font-mono text-xs", className)} {...props} />;
}

export function Td({ numeric, mono, className, ...props }: ComponentProps<"td"> & CellLook) {
  return <td className={cx("whitespace-nowrap px-2 py-1.5", numeric && "text-right tabular-nums", mono && "font-mono text-xs", className)} {...props} />;
}
