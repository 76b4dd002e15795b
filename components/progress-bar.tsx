/** A labelled progress bar (0..1); the label names what it measures for screen readers. */
export function ProgressBar({ value, label, detail }: { value: number; label: string; detail?: string }) {
  const pct = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div>
      <div className="flex justify-between text-xs text-muted">
        <span>{label}</span>
        <span className="tabular-nums">{detail ?? `${pct}%`}</span>
      </div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="mt-1 h-2 overflow-hidden rounded bg-surface">
        <div className="h-full rounded bg-accent-solid" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
