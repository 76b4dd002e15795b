import { Skeleton } from "@/components/ui/skeleton";

/** The registry's shape while the server reads it (and publishes newly completed jobs). */
export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the models" className="space-y-6">
      <div className="space-y-2">
        <Skeleton className="h-8 w-1/4" />
        <Skeleton className="h-4 w-2/3" />
      </div>
      <Skeleton className="h-64" />
    </div>
  );
}
