import { PageSkeleton } from "@/components/ui/skeleton";

/** The catalogue's shape while the server reads it. */
export default function Loading() {
  return <PageSkeleton label="Loading the datasets" titleWidth="w-1/4" blocks={["h-64"]} />;
}
