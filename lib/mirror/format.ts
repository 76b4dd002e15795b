// The mirror's read models format with the one number helper (lib/format), as every page does.
export { formatCxt, formatCxtWithUnit, formatFlops, shortHex, tierName, tierNames } from "@/lib/format/client";
