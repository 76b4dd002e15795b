"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

/** The registry failed to render: what happened, retry, and a way elsewhere. */
export default function ModelsError(props: RouteErrorProps) {
  return <RouteError {...props} title="The models could not be loaded" back={{ href: "/jobs", label: "Jobs" }} />;
}
