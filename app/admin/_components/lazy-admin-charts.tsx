"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import type { AdminSeries } from "@/lib/admin/client";

// Recharts loads after the page is interactive, behind placeholders of the charts' size.
const AdminCharts = dynamic(() => import("./admin-charts").then((m) => m.AdminCharts), {
  ssr: false,
  loading: () => <Skeleton className="h-[34rem] w-full" />,
});

export function LazyAdminCharts({ series }: { series: AdminSeries }) {
  return <AdminCharts series={series} />;
}
