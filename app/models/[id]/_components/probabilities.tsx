"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import type { ClassProbability } from "./probability-chart";

// Recharts (~100 KB gzipped) loads only once there is something to draw, behind a placeholder of its size.
const ProbabilityChart = dynamic(() => import("./probability-chart").then((m) => m.ProbabilityChart), {
  ssr: false,
  loading: () => <Skeleton className="h-56" />,
});

/** The most likely class in words, the bar chart, and the figures for screen readers. */
export function Probabilities({ data, ms }: { data: ClassProbability[]; ms: number }) {
  const best = data.reduce((a, b) => (b.p > a.p ? b : a), data[0]!);
  return (
    <div className="space-y-2">
      <p className="text-sm">
        <output data-testid="prediction" data-class={best.label} className="text-lg font-semibold">
          {best.label}
        </output>{" "}
        <span className="text-muted">
          with probability {(best.p * 100).toFixed(1)}% · {ms < 1 ? "< 1" : ms.toFixed(0)} ms in this browser
        </span>
      </p>
      <ProbabilityChart data={data} />
      <ol className="sr-only">
        {data.map((d) => (
          <li key={d.label}>
            {d.label}: {(d.p * 100).toFixed(1)}%
          </li>
        ))}
      </ol>
    </div>
  );
}
