"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type ClassProbability = { label: string; p: number };

const muted = "var(--c-muted)";
const tooltip = { background: "var(--c-surface)", border: "1px solid var(--c-line)", color: "var(--c-fg)" };

/** Class probabilities as bars (Recharts; loaded after the page). */
export function ProbabilityChart({ data }: { data: ClassProbability[] }) {
  return (
    <div className="h-56 w-full" role="img" aria-label="Class probabilities" data-testid="probability-chart">
      <ResponsiveContainer>
        <BarChart data={data.map((d) => ({ ...d, percent: d.p * 100 }))} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--c-line)" vertical={false} />
          <XAxis dataKey="label" stroke={muted} tick={{ fill: muted }} interval={0} />
          <YAxis stroke={muted} tick={{ fill: muted }} width={44} domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} />
          <Tooltip contentStyle={tooltip} formatter={(v) => (typeof v === "number" ? `${v.toFixed(1)}%` : String(v))} />
          <Bar dataKey="percent" name="Probability" fill="var(--c-chart-1)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
