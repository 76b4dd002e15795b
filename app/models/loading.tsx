import { PageSkeleton } from "@/components/ui/skeleton";

/** The registry's shape while the server reads it (and publishes newly completed jobs). */
export default function Loading() {
  return <PageSkeleton label="Loading the models" titleWidth="w-1/4" blocks={["h-64"]} />;
}
