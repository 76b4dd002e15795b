import { Skeleton } from "@/components/ui/skeleton";

/** The dataset page's shape while the server reads it. */
export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the dataset" className="space-y-8">
      <div className="space-y-2">
        <Skeleton className="h-8 w-1/3" />
        <Skeleton className="h-4 w-2/3" />
      </div>
      <Skeleton className="h-20" />
      <Skeleton className="h-80" />
      <Skeleton className="h-32" />
    </div>
  );
}
