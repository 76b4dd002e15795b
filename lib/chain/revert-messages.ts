import { formatCxtWithUnit, shortHex } from "@/lib/format/client";
import type { contractErrorsAbi } from "./contract-errors";

export type ContractErrorName = (typeof contractErrorsAbi)[number]["name"];
type Args = Record<string, unknown>;

const cxt = (v: unknown) => formatCxtWithUnit(BigInt(v as bigint));
const addr = (v: unknown) => shortHex(String(v));
const when = (v: unknown) => new Date(Number(v) * 1000).toLocaleString("en", { dateStyle: "medium", timeStyle: "short" });
const proposalStates = ["pending", "active", "cancelled", "defeated", "succeeded", "queued", "expired", "executed"];
const taskStatuses = ["open", "completed", "cancelled"];

/**
 * A sentence for every custom error the contracts and the OpenZeppelin code they inherit can raise,
 * keyed by name and built from its named arguments: what happened and, where there is one, what to do.
 * Amounts are CXT wei and print with the one number helper. The type makes a new contract error fail
 * typecheck until it has its sentence.
 */
export const revertSentences: Record<ContractErrorName, (a: Args) => string> = {
  // CXT token (OpenZeppelin ERC20 / ERC20Permit)
  ERC20InsufficientBalance: (a) => `Insufficient CXT balance: the wallet holds ${cxt(a.balance)} and this needs ${cxt(a.needed)}.`,
  ERC20InsufficientAllowance: (a) => `The CXT allowance is too low: ${cxt(a.allowance)} approved, ${cxt(a.needed)} needed. Approve the amount first.`,
  ERC20InvalidApprover: (a) => `${addr(a.approver)} cannot approve CXT (the zero address).`,
  ERC20InvalidReceiver: (a) => `CXT cannot be sent to ${addr(a.receiver)}.`,
  ERC20InvalidSender: (a) => `CXT cannot be sent from ${addr(a.sender)}.`,
  ERC20InvalidSpender: (a) => `${addr(a.spender)} cannot be approved to spend CXT.`,
  ERC2612ExpiredSignature: (a) => `The permit signature expired at ${when(a.deadline)}. Sign a new one.`,
  ERC2612InvalidSigner: (a) => `The permit was signed by ${addr(a.signer)}, not by the owner ${addr(a.owner)}.`,
  MaxSupplyExceeded: (a) => `Minting ${cxt(a.requested)} would pass CXT's maximum supply (${cxt(a.available)} left).`,
  NotMinter: (a) => `${addr(a.caller)} may not mint CXT.`,
  // Staking
  InsufficientStake: (a) => `Not enough stake on the node: ${cxt(a.requested)} asked, ${cxt(a.available)} staked.`,
  NodeInactive: (a) => `Node #${a.nodeId} is deactivated: it takes no new stake.`,
  NotNodeOwner: (a) => `Only the owner of node #${a.nodeId} can do this; the connected wallet is ${addr(a.caller)}.`,
  NothingUnbonding: (a) => `Nothing is unbonding on node #${a.nodeId}: request an unstake first.`,
  AlreadySlashedThisEpoch: (a) => `Node #${a.nodeId} was already slashed in epoch ${a.epoch}: at most one slash per node per epoch.`,
  AppealClosed: (a) => `Slash #${a.slashId}'s appeal period ended on ${when(a.burnableAt)}: it can no longer be returned.`,
  AppealOpen: (a) => `Slash #${a.slashId} is still appealable until ${when(a.burnableAt)}: it cannot be burned before then.`,
  SlashSettled: (a) => `Slash #${a.slashId} was already returned or burned.`,
  SlasherIsOracle: (a) => `${addr(a.account)} cannot be both the slasher and the epoch oracle.`,
  UnknownSlash: (a) => `There is no slash #${a.slashId}.`,
  StakeLocked: (a) => `Node #${a.nodeId}'s stake is locked by a pending dispute; try again once it is resolved.`,
  StillUnbonding: (a) => `Node #${a.nodeId}'s stake is still unbonding: it is released on ${when(a.releaseAt)}.`,
  TooManyTranches: (a) => `Node #${a.nodeId} has too many unbonding tranches: withdraw the released ones first.`,
  UnknownNode: (a) => `There is no node #${a.nodeId}.`,
  InvalidBps: (a) => `${a.bps} basis points is not a valid share (at most 10,000).`,
  ZeroAmount: () => "The amount must be more than 0.",
  ZeroAddress: () => "An address is missing (the zero address was given).",
  // Votes, signatures and checkpoints (OpenZeppelin)
  CheckpointUnorderedInsertion: () => "A voting checkpoint was written out of order.",
  ECDSAInvalidSignature: () => "The signature is not valid.",
  ECDSAInvalidSignatureLength: (a) => `The signature has the wrong length (${a.length} bytes).`,
  ECDSAInvalidSignatureS: () => "The signature is malleable (its s value is too high).",
  ERC5805FutureLookup: (a) => `Voting power at ${a.timepoint} is not known yet (the clock is at ${a.clock}).`,
  ERC6372InconsistentClock: () => "The voting clock is inconsistent.",
  InvalidAccountNonce: (a) => `The signature's nonce is stale for ${addr(a.account)} (current nonce ${a.currentNonce}). Sign again.`,
  VotesExpiredSignature: (a) => `The delegation signature expired at ${when(a.expiry)}.`,
  InvalidShortString: () => "A name is not a valid short string.",
  StringTooLong: () => "A text value is too long.",
  SafeCastOverflowedUintDowncast: (a) => `A value does not fit in ${a.bits} bits.`,
  // TaskManager
  CancelNotRequested: (a) => `Task #${a.taskId} has no cancellation request to finish.`,
  GraceTooShort: (a) => `A cancel grace period of ${a.cancelGracePeriod} s is below the floor of ${a.floor} s.`,
  CancelPending: (a) => `Task #${a.taskId}'s cancellation is pending: you may finish it from ${when(a.reclaimableAt)}.`,
  FeeExceeded: (a) => `Task #${a.taskId} cannot pay ${cxt(a.requested)}: ${cxt(a.remaining)} of its fee is left.`,
  InvalidFragmentCount: () => "The fragment count must be more than 0.",
  InvalidMinTier: (a) => `Minimum tier ${a.minTier} does not exist (0 Bronze … 3 Platinum).`,
  InvalidProviderFee: (a) => `A dataset provider share of ${a.feeBps} bps ${/^0x0{40}$/i.test(String(a.provider)) ? "needs a provider address" : "is above the 3,000 bps (30 %) limit"}.`,
  NotCreator: (a) => `Only the creator of task #${a.taskId} can do this; the connected wallet is ${addr(a.caller)}.`,
  TaskNotOpen: (a) => `Task #${a.taskId} is ${taskStatuses[Number(a.status)] ?? `in state ${a.status}`}, no longer open.`,
  TaskNotClosed: (a) => `Task #${a.taskId} is still open: its refund comes once it is completed or cancelled.`,
  RefundNotCovered: (a) => `Epoch ${a.epoch} was posted before task #${a.taskId} closed: its refund comes with the next epoch.`,
  UnknownTask: (a) => `There is no task #${a.taskId}.`,
  ReentrancyGuardReentrantCall: () => "The call re-entered the contract (refused).",
  SafeERC20FailedOperation: (a) => `The CXT transfer through ${addr(a.token)} failed.`,
  // Access control and the timelock (OpenZeppelin)
  AccessControlBadConfirmation: () => "A role can only be renounced by its holder.",
  AccessControlEnforcedDefaultAdminDelay: (a) => `The admin transfer waits until ${when(a.schedule)}.`,
  AccessControlEnforcedDefaultAdminRules: () => "The default admin role can only move through the two-step transfer.",
  AccessControlInvalidDefaultAdmin: (a) => `${addr(a.defaultAdmin)} cannot be the default admin.`,
  AccessControlUnauthorizedAccount: (a) => `${addr(a.account)} lacks the role this needs (${shortHex(String(a.neededRole))}).`,
  FailedCall: () => "A call made by the contract failed.",
  TimelockInsufficientDelay: (a) => `The delay ${a.delay} s is below the timelock's minimum of ${a.minDelay} s.`,
  TimelockInvalidOperationLength: () => "The operation's targets, payloads and values differ in length.",
  TimelockShorterThanUnbonding: (a) => `A timelock delay of ${a.delay} s is shorter than the ${a.unbonding} s unbonding period: a slashable staker could leave before governance acts.`,
  TimelockUnauthorizedCaller: (a) => `${addr(a.caller)} may not run timelock operations.`,
  TimelockUnexecutedPredecessor: () => "An operation this one depends on has not run yet.",
  TimelockUnexpectedOperationState: () => "The timelock operation is not in the state this needs (not queued, not ready, or already done).",
  // Governor (OpenZeppelin)
  GovernorAlreadyCastVote: (a) => `${addr(a.voter)} has already voted on this proposal.`,
  GovernorAlreadyQueuedProposal: () => "The proposal is already queued.",
  GovernorDisabledDeposit: () => "The governor does not take deposits.",
  GovernorInsufficientProposerVotes: (a) => `Proposing needs ${cxt(a.threshold)} of voting weight; ${addr(a.proposer)} has ${cxt(a.votes)}.`,
  GovernorInvalidProposalLength: () => "The proposal's targets, calls and values differ in length.",
  GovernorInvalidQuorumFraction: (a) => `Quorum ${a.quorumNumerator}/${a.quorumDenominator} is not a valid fraction.`,
  GovernorInvalidSignature: (a) => `The vote signature is not ${addr(a.voter)}'s.`,
  GovernorInvalidVoteParams: () => "The vote's parameters are not valid.",
  GovernorInvalidVoteType: () => "That is not a vote type (For, Against or Abstain).",
  GovernorInvalidVotingPeriod: (a) => `A voting period of ${a.votingPeriod} is not allowed.`,
  GovernorNonexistentProposal: () => "There is no such proposal.",
  GovernorOnlyExecutor: (a) => `Only the governance executor may do this, not ${addr(a.account)}.`,
  GovernorProposalQueueingFailed: () => "The proposal could not be queued.",
  GovernorProposalQueueingNotRequired: () => "The proposal needs no queueing: execute it directly.",
  GovernorRestrictedProposer: (a) => `${addr(a.proposer)} may not make this proposal.`,
  GovernorUnableToCancel: (a) => `${addr(a.account)} cannot cancel this proposal any more.`,
  GovernorUnexpectedProposalState: (a) => `The proposal is ${proposalStates[Number(a.current)] ?? `in state ${a.current}`}, so this cannot be done now.`,
  // ContributionLedger
  EmissionExceeded: (a) => `The epoch would emit ${cxt(a.requested)}, over the ${cxt(a.available)} left to emit.`,
  EpochCapExceeded: (a) => `Epoch ${a.epoch} would pay ${cxt(a.total)}, over its cap of ${cxt(a.cap)}.`,
  InvalidConfig: () => "The ledger's configuration is not valid.",
  InvalidProof: () => "The claim's Merkle proof does not match the epoch's root (the page may be stale: reload it).",
  MaxEmissionExceeded: (a) => `An allowance of ${cxt(a.allowance)} is over the maximum emission of ${cxt(a.maxEmission)}.`,
  DisputeClosed: (a) => `Dispute ${a.index} of epoch ${a.epoch} is already settled.`,
  DisputeExpired: (a) => `Dispute ${a.index} of epoch ${a.epoch} passed its deadline (${when(a.resolveBy)}): anyone can now settle it as upheld.`,
  DisputePending: (a) => `Dispute ${a.index} of epoch ${a.epoch} is open until ${when(a.resolveBy)}: wait for the resolver or the deadline.`,
  EpochTooSoon: (a) => `Epoch ${a.epoch} cannot be posted before ${when(a.postableAt)} (the ledger's minimum interval between epochs).`,
  OracleIsSlasher: (a) => `${addr(a.account)} cannot be both the epoch oracle and the slasher.`,
  UnknownDispute: (a) => `Epoch ${a.epoch} has no dispute ${a.index}.`,
  NotDisputable: (a) => `Epoch ${a.epoch} can no longer be disputed.`,
  NotDisputed: (a) => `Epoch ${a.epoch} is not disputed.`,
  NotLatestFinalEpoch: (a) => `Claims go against the latest final epoch (${a.latestFinal}), not epoch ${a.epoch}: reload the page.`,
  NothingToClaim: () => "Nothing is left to claim: everything earned so far was claimed.",
  OracleIsResolver: (a) => `${addr(a.account)} cannot be both the oracle and the dispute resolver.`,
  PreviousEpochNotFinal: (a) => `Epoch ${a.epoch} waits for the previous epoch to become final.`,
  UnexpectedEpoch: (a) => `Expected epoch ${a.expected}, got ${a.got}.`,
  ZeroRoot: () => "The epoch's Merkle root is empty.",
};

/** Named arguments of a decoded error as a record (positional `argN` where the ABI has no name). */
export function argsRecord(args: { name?: string; value: unknown }[]): Args {
  return Object.fromEntries(args.map((a, i) => [a.name ?? `arg${i}`, a.value]));
}

/** The sentence for a decoded custom error; an unknown one still reads as words with its arguments. */
export function revertSentence(errorName: string, args: { name?: string; value: unknown }[]): string {
  const sentence = (revertSentences as Record<string, ((a: Args) => string) | undefined>)[errorName];
  if (sentence) return sentence(argsRecord(args));
  const words = errorName.replace(/([a-z0-9])([A-Z])/g, "$1 $2");
  const list = args.map((a) => `${a.name ? `${a.name} ` : ""}${String(a.value)}`);
  return `${words.charAt(0).toUpperCase()}${words.slice(1).toLowerCase()}${list.length ? ` (${list.join(", ")})` : ""}.`;
}

