"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

/** The catalogue failed to render: what happened, retry, and a way elsewhere. */
export default function DatasetsError(props: RouteErrorProps) {
  return <RouteError {...props} title="The datasets could not be loaded" back={{ href: "/jobs", label: "Jobs" }} />;
}
