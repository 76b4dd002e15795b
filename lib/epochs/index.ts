import "server-only";

export { EPOCH_RULES, COMPUTE_PROOF_WORK_UNITS, CREDENTIAL_LEAF_ENCODING, REWARD_LEAF_ENCODING, EMPTY_CREDENTIALS_ROOT, computeRewards, stakeSeconds, credentialRoles, type CredentialRole, type RewardLeaf } from "./rules";
export type { EpochChain } from "./chain";
export { closeEpoch, type CloseResult, type EpochInputs } from "./closer";
export { recordCredential, recordComputeProof, recordContributions, listCredentials, getCredentialProof, getEpochTree } from "./credentials";
export { getClaimable, getJobFees, relayClaims, type JobFeeRow } from "./claims";
export { slashFaults, getFault, listFaultsOfNode, evidenceHashOf, canonicalEvidenceJson, type FaultRow } from "./slashing";
export { listFaults } from "./faults";
export { settleCancelledJobs, type CancelSettlement } from "./fees";
export { settleExpiredDisputes, type DisputeSettlement } from "./disputes";
export { ingestContributions, slashNewFaults, INGEST_OVERLAP_MS } from "./ingest";
export { epochReader, epochChainFromEnv, readLatestFinalEpoch } from "./server";
export * from "./schemas";
export { parseCredentialLeaf, rewardsTree, computeFees, feesTree, epochRoot, epochProof, FEE_LEAF_ENCODING } from "./rules";
export type { CredentialLeafInput, StakePoint, FeeLeaf, FeeTask } from "./rules";
