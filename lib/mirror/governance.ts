/**
 * A proposal's state as the governor would report it, from the mirror: the recorded status for
 * queued/executed/canceled, else the clock (timestamps, Staking's ERC-6372 clock) against its vote window. Past the window
 * the mirror cannot know the quorum (a fraction of total weight at the snapshot), so "ended" says
 * only that voting is over; the page asks the governor's `state()` for succeeded vs defeated.
 */
export type ProposalPhase = "pending" | "active" | "ended" | "queued" | "executed" | "canceled";

export function proposalPhase(p: { status: string; voteStart: bigint; voteEnd: bigint }, head: bigint): ProposalPhase {
  if (p.status === "queued" || p.status === "executed" || p.status === "canceled") return p.status;
  if (p.voteStart >= head) return "pending";
  if (p.voteEnd >= head) return "active";
  return "ended";
}

export type ProposalAction = { target: `0x${string}`; value: string; signature: string; calldata: `0x${string}` };

export function parseActions(json: string): ProposalAction[] {
  return JSON.parse(json) as ProposalAction[];
}

/** OpenZeppelin Governor's ProposalState enum, in order. */
export const governorStates = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"] as const;
