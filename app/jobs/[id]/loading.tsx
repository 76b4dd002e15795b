import { Skeleton } from "@/components/ui/skeleton";

/** The job page's shape while the server reads the job, its rounds and its proof. */
export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the job" className="space-y-8">
      <div className="space-y-2">
        <Skeleton className="h-8 w-1/3" />
        <Skeleton className="h-4 w-2/3" />
      </div>
      <Skeleton className="h-24" />
      <Skeleton className="h-40" />
      <div className="grid gap-4 md:grid-cols-2">
        <Skeleton className="h-[18.5rem]" />
        <Skeleton className="h-[18.5rem]" />
      </div>
      <Skeleton className="h-48" />
    </div>
  );
}
