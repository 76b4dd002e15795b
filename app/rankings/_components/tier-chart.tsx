"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type TierBucket = { tier: string; nodes: number; stake: number };

/** Nodes and stake per tier: how the network's weight is spread. */
export function TierChart({ data }: { data: TierBucket[] }) {
  return (
    <div className="h-64 w-full" role="img" aria-label="Nodes and stake per tier">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#27272a" vertical={false} />
          <XAxis dataKey="tier" stroke="#a1a1aa" />
          <YAxis yAxisId="nodes" stroke="#a1a1aa" allowDecimals={false} />
          <YAxis yAxisId="stake" orientation="right" stroke="#a1a1aa" />
          <Tooltip contentStyle={{ background: "#18181b", border: "1px solid #3f3f46" }} />
          <Legend />
          <Bar yAxisId="nodes" dataKey="nodes" name="Nodes" fill="#10b981" />
          <Bar yAxisId="stake" dataKey="stake" name="Stake (CXT)" fill="#6366f1" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
