// The isomorphic public surface of lib/mirror: what browser code (and the server) may import.
export { formatCxt, formatFlops } from "./format";
export { governorStates } from "./governance";
export type { ProposalAction } from "./governance";
export { formatCountdown, tierFor } from "./staking";
export { tierName } from "@/lib/format/client";
