"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

/** A model page that failed to render: what happened, retry, and the way back to the registry. */
export default function ModelError(props: RouteErrorProps) {
  return <RouteError {...props} title="This model could not be loaded" back={{ href: "/models", label: "All models" }} />;
}
