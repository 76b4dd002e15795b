/** The app's top-level sections, shared by the navigation and the overview page. */
export const sections = [
  { href: "/jobs", label: "Jobs" },
  { href: "/models", label: "Models" },
  { href: "/datasets", label: "Datasets" },
  { href: "/nodes", label: "Nodes & staking" },
  { href: "/rankings", label: "Rankings" },
  { href: "/governance", label: "Governance" },
  { href: "/explorer", label: "Explorer" },
  { href: "/worker", label: "Worker" },
  { href: "/admin", label: "Admin" },
] as const;
