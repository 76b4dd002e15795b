import "server-only";

// Compute-PoC over HTTP: seeded integer matrix-product challenges, checked with Freivalds' algorithm
// (lib/compute/poc.ts), every answer recorded; a node's proven throughput for leases and its page.
export { answerPocChallenge, issuePocChallenge, nodesThroughput, nodeThroughput, pocChallengeSize } from "./service";
export type { NodeThroughput } from "./service";
export * from "./schemas";
