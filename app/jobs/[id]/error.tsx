"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

/** A job page that failed to render: what happened, retry, and the way back to the list. */
export default function JobError(props: RouteErrorProps) {
  return <RouteError {...props} title="This job could not be loaded" back={{ href: "/jobs", label: "All jobs" }} />;
}
