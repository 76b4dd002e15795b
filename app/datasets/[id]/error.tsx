"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

/** A dataset page failed to render: what happened, retry, and the way back to the catalogue. */
export default function DatasetError(props: RouteErrorProps) {
  return <RouteError {...props} title="The dataset could not be loaded" back={{ href: "/datasets", label: "Datasets" }} />;
}
