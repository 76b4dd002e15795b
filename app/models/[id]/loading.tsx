import { PageSkeleton } from "@/components/ui/skeleton";

/** The model page's shape while the server reads the model (and publishes newly completed jobs). */
export default function Loading() {
  return <PageSkeleton label="Loading the model" blocks={["h-20", "h-80", "h-32"]} />;
}
