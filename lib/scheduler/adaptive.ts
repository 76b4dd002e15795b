import "server-only";

/**
 * Adaptive replication (BOINC's scheme, docs/concepts/verification.md → Adaptive replication). A node's
 * reputation is the number of its results the network accepted (compute and spot checks), and 0 once
 * it has a fault (a fault also bars it: the reset is for good). A fragment is first issued to one
 * replica; a result from a node with reputation ≥ `minValid` is accepted alone (k = 1) and spot-checked
 * with probability spotCheckProbability(reputation); any other result gets its fragment's further
 * replicas (k agreeing results, the CPU reference refereeing a disagreement).
 */
export type AdaptivePolicy = {
  /** accepted results, with no fault, before a node's lone result is accepted */
  minValid: number;
  /** the spot-check probability never falls below this, however long the record */
  floor: number;
};

/** Production's dials (the coordinator); bench:quality passes its own minValid. */
export const DEFAULT_ADAPTIVE: AdaptivePolicy = { minValid: 50, floor: 0.05 };

/**
 * p(r) = max(floor, min(1, ((minValid + 1) / (r + 1))²)) for a trusted node with reputation r:
 * 1 when it has just earned trust (its first k = 1 results are all checked), a quarter at about
 * twice the threshold, then the floor. The square makes the expected number of spot checks over a
 * node's life finite before the floor (Σ 1/r² converges; 1/r would grow like log r).
 */
export function spotCheckProbability(reputation: number, policy: AdaptivePolicy): number {
  const ramp = ((policy.minValid + 1) / (reputation + 1)) ** 2;
  return Math.max(policy.floor, Math.min(1, ramp));
}

/** Whether a node with this reputation is trusted with k = 1. */
export function trustedWith(reputation: number, policy: AdaptivePolicy): boolean {
  return reputation >= policy.minValid;
}

/**
 * Whether this trusted result gets a spot check. `u` is uniform in [0, 1), drawn by the coordinator
 * at verification time (crypto randomness, never from the public spec), so a worker cannot know which
 * of its results will be checked.
 */
export function spotCheckDrawn(reputation: number, policy: AdaptivePolicy, u: number): boolean {
  return u < spotCheckProbability(reputation, policy);
}

/**
 * Probability that a trusted node which returns a wrong result on `cheats` fragments, at reputation
 * about `reputation`, is caught at least once: 1 − (1 − p(r))^cheats (each check is an independent draw;
 * a caught node is faulted, barred and its caught result replaced).
 */
export function detectionProbability(reputation: number, policy: AdaptivePolicy, cheats: number): number {
  return 1 - (1 - spotCheckProbability(reputation, policy)) ** cheats;
}
