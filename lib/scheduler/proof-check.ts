// Re-verification of a job's proof with the CPU reference (used by `npm run verify-proof` and tests).
// No server-only imports: anyone can run it against a coordinator's public API.
import { createHash } from "node:crypto";
import { compareWeights, outerStep, runFragmentReference } from "@/lib/compute";
import { fragmentInput, type TrainingSpec } from "./inputs";
import { decodeFloat32, encodeFloat32 } from "./protocol";

export type ProofFragment = {
  id: string; shard: number; status: string; seed: number; weightsSha256: string; shardSha256: string; steps: number; batch: number; lr: number; workUnits: string;
  acceptedSha256: string | null; referenceSha256: string | null;
  results: { replica: number; kind: string; nodeId: string; owner: string; signer: string; signature: string; deltaSha256: string; loss: number; status: string }[];
};
export type ProofRound = {
  round: number; status: string; weightsSha256: string; optimizerStateSha256: string | null;
  acceptedResults: { shard: number; fragmentId: string; deltaSha256: string }[];
  nextWeightsSha256: string | null; nextOptimizerStateSha256: string | null;
  trainLoss: number | null; heldOutLoss: number | null; heldOutAccuracy: number | null; fragments: ProofFragment[];
};
export type Proof = {
  jobId: string; specHash: string; spec: Record<string, unknown>; status: string; tolerance: { relativeL2: number };
  finalWeightsSha256: string | null; completeTx: string | null;
  redundancy: { replicaWork: string; usefulWork: string; overhead: number | null };
  rounds: ProofRound[];
};

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/**
 * Checks a proof: every blob against its hash; the selected fragments recomputed with the CPU reference
 * and compared with the accepted delta (tolerance from the proof); the chain W_r → W_{r+1} recomputed
 * with the outer optimizer, hash for hash. Returns the mismatches (empty = verified).
 */
export async function checkProof(
  proof: Proof,
  fetchBlob: (sha256: string) => Promise<Uint8Array>,
  opts: { fragments: "all" | { round: number; shard: number }[]; log?: (line: string) => void } = { fragments: "all" },
): Promise<{ mismatches: string[]; fragmentsChecked: number; roundsChecked: number }> {
  const spec = proof.spec as unknown as TrainingSpec;
  const mismatches: string[] = [];
  const cache = new Map<string, Uint8Array>();
  const blob = async (h: string) => {
    let b = cache.get(h);
    if (!b) {
      b = await fetchBlob(h);
      if (sha(b) !== h) mismatches.push(`blob ${h} has sha-256 ${sha(b)}`);
      cache.set(h, b);
    }
    return b;
  };
  let fragmentsChecked = 0;
  let roundsChecked = 0;
  let prevNext: string | null = null;
  let prevState: string | null = null;
  for (const r of proof.rounds) {
    if (r.round > 0 && prevNext !== null && r.weightsSha256 !== prevNext) mismatches.push(`round ${r.round}: W_r ${r.weightsSha256} is not round ${r.round - 1}'s W_{r+1} ${prevNext}`);
    if (r.round > 0 && prevState !== r.optimizerStateSha256) mismatches.push(`round ${r.round}: optimizer state ${r.optimizerStateSha256} is not round ${r.round - 1}'s ${prevState}`);
    for (const f of r.fragments) {
      const want = opts.fragments === "all" || opts.fragments.some((x) => x.round === r.round && x.shard === f.shard);
      if (!want || f.status !== "accepted" || !f.acceptedSha256) continue;
      const ref = runFragmentReference(fragmentInput(spec, r.round, f.shard, await blob(f.weightsSha256), await blob(f.shardSha256)));
      const d = compareWeights(decodeFloat32(await blob(f.acceptedSha256)), ref.delta);
      if (!(d.relativeL2 <= proof.tolerance.relativeL2)) mismatches.push(`fragment ${r.round}:${f.shard}: accepted delta is ${d.relativeL2.toExponential(2)} (relative L2) from the reference`);
      opts.log?.(`fragment ${r.round}:${f.shard}: relative L2 to reference ${d.relativeL2.toExponential(2)}, max abs ${d.maxAbs.toExponential(2)}`);
      fragmentsChecked++;
    }
    if (r.status === "aggregated" && r.nextWeightsSha256) {
      const w = decodeFloat32(await blob(r.weightsSha256));
      const state = r.optimizerStateSha256 ? { velocity: decodeFloat32(await blob(r.optimizerStateSha256)) } : undefined;
      const deltas = await Promise.all([...r.acceptedResults].sort((a, b) => a.shard - b.shard).map(async (a) => decodeFloat32(await blob(a.deltaSha256))));
      const next = outerStep(w, deltas, { lr: spec.hyper.outerLearningRate, momentum: spec.hyper.outerMomentum }, state);
      if (sha(encodeFloat32(next.weights)) !== r.nextWeightsSha256) mismatches.push(`round ${r.round}: recomputed W_{r+1} does not hash to ${r.nextWeightsSha256}`);
      if (r.nextOptimizerStateSha256 && sha(encodeFloat32(next.state.velocity)) !== r.nextOptimizerStateSha256) mismatches.push(`round ${r.round}: recomputed optimizer state does not hash to ${r.nextOptimizerStateSha256}`);
      roundsChecked++;
    }
    prevNext = r.nextWeightsSha256;
    prevState = r.nextOptimizerStateSha256;
  }
  const last = proof.rounds[proof.rounds.length - 1];
  if (proof.finalWeightsSha256 && last?.nextWeightsSha256 !== proof.finalWeightsSha256) mismatches.push(`final weights ${proof.finalWeightsSha256} are not the last round's W_{r+1}`);
  return { mismatches, fragmentsChecked, roundsChecked };
}
