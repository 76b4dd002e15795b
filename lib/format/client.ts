// One number language: CXT, FLOPs, counts and percentages formatted the same on every page, in
// every toast and in every revert sentence. Isomorphic (no imports beyond viem).
export { formatCount, formatCxt, formatCxtWithUnit, formatDateTime, formatFlops, formatPercent, shortHex, tierName, tierNames } from "./numbers";
