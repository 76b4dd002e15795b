"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import type { ModelConfig } from "@/lib/models/client";

// The panel pulls in the registry's client code (config schema, inference glue) and starts a Web Worker:
// it loads after the page is interactive, behind a placeholder of its size, so the model card stays light.
const TryIt = dynamic(() => import("./try-it").then((m) => m.TryIt), {
  ssr: false,
  loading: () => <Skeleton className="h-80" />,
});

export function LazyTryIt(props: { modelId: string; sha256: string; sizeBytes: number; config: ModelConfig }) {
  return <TryIt {...props} />;
}
