"use client";

import { formatCount } from "@/lib/format/client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type ChartPoint = { round: number; trainLoss: number | null; heldOutLoss: number | null; accuracy: number | null };

const muted = "var(--c-muted)";
/** The accuracy axis: from 10 points below the lowest value (whole tens) to 100 %, never outside 0–100. */
export const accuracyDomain: [(min: number) => number, (max: number) => number] = [(min) => Math.max(0, Math.floor((min - 10) / 10) * 10), () => 100];
const line = "var(--c-line)";
const tooltip = { background: "var(--c-surface)", border: "1px solid var(--c-line)", color: "var(--c-fg)" };

function Chart({ title, children, testId }: { title: string; children: React.ReactElement; testId: string }) {
  return (
    <figure className="rounded border border-line p-4" data-testid={testId}>
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div className="h-56 w-full" role="img" aria-label={title}>
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Train and held-out loss, and held-out accuracy, per aggregated round (Recharts; loaded lazily). */
export function JobCharts({ points, language = false }: { points: ChartPoint[]; language?: boolean }) {
  const margin = { top: 8, right: 16, bottom: 0, left: 0 };
  const axes = (
    <>
      <CartesianGrid stroke={line} vertical={false} />
      <XAxis dataKey="round" stroke={muted} tick={{ fill: muted }} allowDecimals={false} />
    </>
  );
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Chart title={language ? "Loss per round (train and validation, nats per character)" : "Loss per round (train and held-out)"} testId="loss-chart">
        <LineChart data={points} margin={margin}>
          {axes}
          <YAxis stroke={muted} tick={{ fill: muted }} width={48} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip contentStyle={tooltip} formatter={(v) => (typeof v === "number" ? v.toFixed(4) : String(v))} labelFormatter={(r) => `Round ${r}`} />
          <Legend wrapperStyle={{ color: "var(--c-fg)" }} />
          <Line type="monotone" dataKey="trainLoss" name="Train loss" stroke="var(--c-chart-1)" isAnimationActive={false} />
          <Line type="monotone" dataKey="heldOutLoss" name={language ? "Validation loss" : "Held-out loss"} stroke="var(--c-chart-2)" isAnimationActive={false} />
        </LineChart>
      </Chart>
      {language ? null : (
      <Chart title="Held-out accuracy per round (%)" testId="accuracy-chart">
        <LineChart data={points} margin={margin}>
          {axes}
          {/* Auto-scaled to the data, never past 100 %; straight segments (a smoothed curve bulged over 100 %). */}
          <YAxis stroke={muted} tick={{ fill: muted }} width={56} domain={accuracyDomain} allowDataOverflow tickFormatter={(v: number) => `${formatCount(v)}%`} />
          <Tooltip contentStyle={tooltip} formatter={(v) => (typeof v === "number" ? `${v.toFixed(2)}%` : String(v))} labelFormatter={(r) => `Round ${r}`} />
          <Line type="linear" dataKey="accuracy" name="Held-out accuracy" stroke="var(--c-chart-1)" isAnimationActive={false} />
        </LineChart>
      </Chart>
      )}
    </div>
  );
}
