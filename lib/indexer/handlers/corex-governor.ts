// CorexGovernor: proposals, their actions and status, and votes (with and without params).
import type { BatchStore } from "../store";
import type { Row } from "../tables";
import { add, addr, hex, isoSeconds, must, num } from "./common";
import type { ContractHandlers, EventMeta, Keys, TypedEvent } from "./types";

type ProposalEvent = EventMeta & { args: { proposalId: bigint } };
type VoteEvent = TypedEvent<"CorexGovernor", "VoteCast" | "VoteCastWithParams">;

const SUPPORT_COLUMN = ["against_votes", "for_votes", "abstain_votes"] as const;

const proposalKey = (e: ProposalEvent): Keys => [["proposals", { proposal_id: num(e.args.proposalId) }]];

function updateProposal(s: BatchStore, e: ProposalEvent, patch: Row) {
  const p = must(s.get("proposals", { proposal_id: num(e.args.proposalId) }), `proposal ${num(e.args.proposalId)}`, e);
  s.put("proposals", { ...p, ...patch, updated_block: num(e.blockNumber) }, e.blockNumber);
  return p;
}

function proposalCreated(e: TypedEvent<"CorexGovernor", "ProposalCreated">, s: BatchStore) {
  const { targets, values, signatures, calldatas } = e.args;
  const actions = targets.map((t, i) => ({ target: addr(t), value: num(values[i]), signature: signatures[i], calldata: hex(calldatas[i]) }));
  s.put(
    "proposals",
    {
      proposal_id: num(e.args.proposalId),
      proposer: addr(e.args.proposer),
      actions: JSON.stringify(actions),
      description: String(e.args.description),
      vote_start: num(e.args.voteStart),
      vote_end: num(e.args.voteEnd),
      status: "created",
      for_votes: "0",
      against_votes: "0",
      abstain_votes: "0",
      vote_count: 0,
      eta: null,
      created_at: e.timestamp,
      created_block: num(e.blockNumber),
      created_tx: e.txHash,
      updated_block: num(e.blockNumber),
    },
    e.blockNumber,
  );
}

function vote(e: VoteEvent, s: BatchStore) {
  const support = Number(e.args.support);
  const p = must(s.get("proposals", { proposal_id: num(e.args.proposalId) }), `proposal ${num(e.args.proposalId)}`, e);
  const column = SUPPORT_COLUMN[support];
  updateProposal(s, e, { [column]: add(p[column], e.args.weight), vote_count: Number(p.vote_count) + 1 });
  s.put(
    "proposal_votes",
    {
      block_number: num(e.blockNumber),
      log_index: e.logIndex,
      tx_hash: e.txHash,
      proposal_id: num(e.args.proposalId),
      voter: addr(e.args.voter),
      support,
      weight: num(e.args.weight),
      reason: String(e.args.reason),
      timestamp: e.timestamp,
    },
    e.blockNumber,
  );
}

export const corexGovernorHandlers: ContractHandlers<"CorexGovernor"> = {
  ProposalCreated: { keys: proposalKey, apply: proposalCreated },
  VoteCast: { keys: proposalKey, apply: vote },
  VoteCastWithParams: { keys: proposalKey, apply: vote },
  ProposalQueued: { keys: proposalKey, apply: (e, s) => void updateProposal(s, e, { status: "queued", eta: isoSeconds(e.args.etaSeconds) }) },
  ProposalExecuted: { keys: proposalKey, apply: (e, s) => void updateProposal(s, e, { status: "executed" }) },
  ProposalCanceled: { keys: proposalKey, apply: (e, s) => void updateProposal(s, e, { status: "canceled" }) },
};
