"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import type { TierBucket } from "./tier-chart";

// Recharts is ≈ 100 KB gzipped: fetched after the page is interactive, behind a placeholder of the
// chart's exact height so the table below does not move when it arrives.
const TierChart = dynamic(() => import("./tier-chart").then((m) => m.TierChart), {
  ssr: false,
  loading: () => <Skeleton className="h-64 w-full" />,
});

export function LazyTierChart({ data }: { data: TierBucket[] }) {
  return <TierChart data={data} />;
}
