import type { ReactNode } from "react";

/** One headline number in a `<dl>` of figures: its label above, the value large below. */
export function Figure({ label, value, testId, size = "lg" }: { label: ReactNode; value: ReactNode; testId?: string; size?: "lg" | "xl" }) {
  return (
    <div className="rounded border border-line p-4">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className={`mt-1 ${size === "xl" ? "text-xl" : "text-lg"} font-semibold tabular-nums`} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
