import { PageSkeleton } from "@/components/ui/skeleton";

/** The dataset page's shape while the server reads it. */
export default function Loading() {
  return <PageSkeleton label="Loading the dataset" blocks={["h-20", "h-80", "h-32"]} />;
}
