"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import type { ChartPoint } from "./job-charts";

// Recharts (~100 KB gzipped) loads after the page is interactive, behind placeholders of the charts'
// size, so the read-only job page stays within its JavaScript budget.
const JobCharts = dynamic(() => import("./job-charts").then((m) => m.JobCharts), {
  ssr: false,
  loading: () => (
    <div className="grid gap-4 md:grid-cols-2">
      <Skeleton className="h-[18.5rem]" />
      <Skeleton className="h-[18.5rem]" />
    </div>
  ),
});

export function LazyJobCharts({ points, language }: { points: ChartPoint[]; language?: boolean }) {
  return <JobCharts points={points} language={language} />;
}
