// The isomorphic part of lib/jobs: the spec hash (canonical JSON + keccak-256), for scripts and browser code
// that must recompute a job's on-chain specHash without the server (docs/protocol vectors).
export { canonicalSpecJson, specHashOf } from "./spec";
export type { Json } from "./spec";
export { createTaskTxs } from "./create-task";
export type { ContractAddresses, TaskArgs } from "./create-task";
export { FEE_WEI_PER_GFLOP, gptJobWorkUnits, jobWorkUnits, suggestedFee } from "./work";
