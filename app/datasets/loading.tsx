import { Skeleton } from "@/components/ui/skeleton";

/** The catalogue's shape while the server reads it. */
export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the datasets" className="space-y-6">
      <div className="space-y-2">
        <Skeleton className="h-8 w-1/4" />
        <Skeleton className="h-4 w-2/3" />
      </div>
      <Skeleton className="h-64" />
    </div>
  );
}
