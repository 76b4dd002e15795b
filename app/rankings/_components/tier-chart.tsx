"use client";

import { formatCount } from "@/lib/format/client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type TierBucket = { tier: string; nodes: number; stake: number };

// Theme colours from globals.css, so the chart follows light and dark.
const muted = "var(--c-muted)";
const line = "var(--c-line)";

/** Nodes and stake per tier: how the network's weight is spread. */
export function TierChart({ data }: { data: TierBucket[] }) {
  return (
    <div className="h-64 w-full" role="img" aria-label="Nodes and stake per tier">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={line} vertical={false} />
          {/* interval 0: every tier is labelled, also at 390 px where recharts would skip "Gold" to avoid crowding. */}
          <XAxis dataKey="tier" stroke={muted} tick={{ fill: muted, fontSize: 12 }} interval={0} />
          <YAxis yAxisId="nodes" stroke={muted} tick={{ fill: muted, fontSize: 12 }} allowDecimals={false} width={32} tickFormatter={(v: number) => formatCount(v)} />
          <YAxis yAxisId="stake" orientation="right" stroke={muted} tick={{ fill: muted, fontSize: 12 }} width={64} tickFormatter={(v: number) => formatCount(v)} />
          <Tooltip
            contentStyle={{ background: "var(--c-surface)", border: "1px solid var(--c-line)", color: "var(--c-fg)" }}
            cursor={{ fill: "var(--c-surface)" }}
          />
          <Legend />
          <Bar yAxisId="nodes" dataKey="nodes" name="Nodes" fill="var(--c-chart-1)" />
          <Bar yAxisId="stake" dataKey="stake" name="Stake (CXT)" fill="var(--c-chart-2)" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
