"use client";

import { formatCount } from "@/lib/format/client";
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AdminSeries } from "@/lib/admin/client";

const muted = "var(--c-muted)";
const line = "var(--c-line)";
const tooltip = { background: "var(--c-surface)", border: "1px solid var(--c-line)", color: "var(--c-fg)" };
const time = (iso: string) => iso.slice(11, 16);

function Chart({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <figure className="rounded border border-line p-4">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div className="h-48 w-full" role="img" aria-label={title}>
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </div>
    </figure>
  );
}

function Lines({ data, keys }: { data: object[]; keys: [string, string][] }) {
  return (
    <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={line} vertical={false} />
      <XAxis dataKey="at" tickFormatter={time} stroke={muted} tick={{ fill: muted }} minTickGap={24} />
      <YAxis stroke={muted} tick={{ fill: muted }} allowDecimals={false} tickFormatter={(v: number) => formatCount(v)} />
      <Tooltip contentStyle={tooltip} />
      {keys.map(([key, name], i) => (
        <Line key={key} type="monotone" dataKey={key} name={name} dot={false} stroke={`var(--c-chart-${i + 1})`} isAnimationActive={false} />
      ))}
    </LineChart>
  );
}

/** The admin page's charts over time: throughput, queue depth, indexer lag and reorgs, emission per epoch. */
export function AdminCharts({ series }: { series: AdminSeries }) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Chart title="Throughput: chain events per minute">
        <Lines data={series.points} keys={[["eventsPerMinute", "Events/min"]]} />
      </Chart>
      <Chart title="Queue depth: jobs awaiting the chain and active">
        <Lines data={series.points} keys={[["queued", "Awaiting chain"], ["active", "Active"]]} />
      </Chart>
      <Chart title="Indexer lag (blocks) and reorgs">
        <Lines data={series.points} keys={[["lag", "Lag"], ["reorgs", "Reorgs"]]} />
      </Chart>
      <Chart title="CXT emitted per epoch">
        <BarChart data={series.emission} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={line} vertical={false} />
          <XAxis dataKey="epoch" stroke={muted} tick={{ fill: muted }} />
          <YAxis stroke={muted} tick={{ fill: muted }} width={64} tickFormatter={(v: number) => formatCount(v)} />
          <Tooltip contentStyle={tooltip} cursor={{ fill: "var(--c-surface)" }} />
          <Bar dataKey="cxt" name="CXT" fill="var(--c-chart-1)" isAnimationActive={false} />
        </BarChart>
      </Chart>
    </div>
  );
}
