// Re-verification of a job's proof with the CPU reference: `npm run verify-proof`, the job page's
// "Re-verify in my browser" (a Web Worker) and tests all run this one code. No server-only or Node
// imports: anyone can run it against a coordinator's public API, in Node or in a browser.
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { compareWeights } from "@/lib/compute";
import { outerStep } from "@/lib/compute";
import { decodeFloat32, encodeFloat32 } from "./fragments";
import { referenceFragment } from "./inputs";
import { specOf } from "./spec";

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
  /** {@link proofRoot} of the whole chain once its last round is aggregated (the API computes it over every round, also when it sends only the newest) */
  proofRoot: string | null;
  redundancy: { replicaWork: string; usefulWork: string; overhead: number | null };
  rounds: ProofRound[];
};

// noble rather than node:crypto or crypto.subtle: the latter is missing on plain-http origins other than localhost.
const sha = (b: Uint8Array) => bytesToHex(sha256(b));

/** The round-chain fields that {@link proofRoot} commits to. */
export type RootRound = Pick<ProofRound, "round" | "status" | "weightsSha256" | "optimizerStateSha256" | "acceptedResults" | "nextWeightsSha256" | "nextOptimizerStateSha256">;

const utf8 = new TextEncoder();

/**
 * A job's proof root: one hash that commits to its spec and to every round record of its proof chain, so
 * a model card (or a registry entry) names the whole training, not only where it ended.
 *
 *   h_start = sha256("corex-proof-root/v1\n" ‖ specHash)
 *   h_r     = sha256(h_{r-1} ‖ "r|W_r|S_r|shard:fragmentId:Δsha,…|W_{r+1}|S_{r+1}")   (accepted results by shard; "" for no state)
 *   root    = 0x + hex(h_last)
 *
 * Each h is the 32 raw bytes of the previous hash; hashes are lower-case hex. Defined only for a chain
 * whose rounds 0…R are all present and aggregated (null otherwise): the root of a job that is still
 * training would change with its next round. checkProof recomputes it; the final weights' hash (the
 * task's on-chain resultHash) is the chain's last W_{R+1}, so it is covered too.
 */
export function proofRoot(specHash: string, rounds: readonly RootRound[]): string | null {
  if (rounds.length === 0) return null;
  let h = sha256(utf8.encode(`corex-proof-root/v1\n${specHash.toLowerCase()}`));
  for (const [i, r] of rounds.entries()) {
    if (r.round !== i || r.status !== "aggregated" || !r.nextWeightsSha256) return null;
    const accepted = [...r.acceptedResults].sort((a, b) => a.shard - b.shard).map((a) => `${a.shard}:${a.fragmentId}:${a.deltaSha256}`).join(",");
    const record = utf8.encode(`${r.round}|${r.weightsSha256}|${r.optimizerStateSha256 ?? ""}|${accepted}|${r.nextWeightsSha256}|${r.nextOptimizerStateSha256 ?? ""}`);
    const buf = new Uint8Array(h.length + record.length);
    buf.set(h);
    buf.set(record, h.length);
    h = sha256(buf);
  }
  return `0x${bytesToHex(h)}`;
}

type BlobFetch = (sha256: string) => Promise<Uint8Array>;

/** Fetches each blob once and records, as a mismatch, any whose bytes do not hash to its name. */
function checkedBlobs(fetchBlob: BlobFetch, mismatches: string[]): BlobFetch {
  const cache = new Map<string, Uint8Array>();
  return async (h) => {
    let b = cache.get(h);
    if (!b) {
      b = await fetchBlob(h);
      if (sha(b) !== h) mismatches.push(`blob ${h} has sha-256 ${sha(b)}`);
      cache.set(h, b);
    }
    return b;
  };
}

export type FragmentCheckStage = "inputs" | "recompute" | "compare";
export type FragmentCheck = { mismatches: string[]; relativeL2: number; maxAbs: number };

/**
 * Fragment (r, s) of an accepted round recomputed from its content-addressed inputs with the CPU
 * reference and compared with the accepted delta within the proof's tolerance. Its inputs must be the
 * round's W_r and the spec's shard s, or the recomputation would prove nothing about this round.
 */
async function checkFragment(proof: Proof, r: ProofRound, f: ProofFragment, blob: BlobFetch, onStage?: (s: FragmentCheckStage) => void): Promise<FragmentCheck> {
  const spec = specOf(proof);
  const mismatches: string[] = [];
  if (f.weightsSha256 !== r.weightsSha256) mismatches.push(`fragment ${r.round}:${f.shard}: input weights ${f.weightsSha256} are not round ${r.round}'s W_r ${r.weightsSha256}`);
  const shardSha = spec.shards[f.shard]?.sha256;
  if (shardSha !== undefined && f.shardSha256 !== shardSha) mismatches.push(`fragment ${r.round}:${f.shard}: input shard ${f.shardSha256} is not the spec's shard ${f.shard} ${shardSha}`);
  onStage?.("inputs");
  const [weights, shard, accepted] = await Promise.all([blob(f.weightsSha256), blob(f.shardSha256), blob(f.acceptedSha256!)]);
  onStage?.("recompute");
  const ref = referenceFragment(spec, r.round, f.shard, weights, shard);
  onStage?.("compare");
  const d = compareWeights(decodeFloat32(accepted), ref.delta);
  if (!(d.relativeL2 <= proof.tolerance.relativeL2)) mismatches.push(`fragment ${r.round}:${f.shard}: accepted delta is ${d.relativeL2.toExponential(2)} (relative L2) from the reference`);
  return { mismatches, relativeL2: d.relativeL2, maxAbs: d.maxAbs };
}

export type FragmentVerdict = FragmentCheck & { verified: boolean; tolerance: number; acceptedSha256: string };

/** One accepted fragment of a proof re-verified (the job page's button): blobs hash-checked, recomputed, compared. */
export async function reverifyFragment(proof: Proof, round: number, shard: number, fetchBlob: BlobFetch, onStage?: (s: FragmentCheckStage) => void): Promise<FragmentVerdict> {
  const r = proof.rounds.find((x) => x.round === round);
  const f = r?.fragments.find((x) => x.shard === shard);
  if (!r || !f) throw new Error(`the proof has no fragment ${round}:${shard}`);
  if (f.status !== "accepted" || !f.acceptedSha256) throw new Error(`fragment ${round}:${shard} has no published accepted result yet`);
  const blobErrors: string[] = [];
  const c = await checkFragment(proof, r, f, checkedBlobs(fetchBlob, blobErrors), onStage);
  const mismatches = [...blobErrors, ...c.mismatches];
  return { ...c, mismatches, verified: mismatches.length === 0, tolerance: proof.tolerance.relativeL2, acceptedSha256: f.acceptedSha256 };
}

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
  const spec = specOf(proof);
  const mismatches: string[] = [];
  const blob = checkedBlobs(fetchBlob, mismatches);
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
      const d = await checkFragment(proof, r, f, blob);
      mismatches.push(...d.mismatches);
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
  // Only a whole chain (round 0 onwards) can be re-rooted; a page's tail of it is checked link by link above.
  if (proof.proofRoot != null && proof.rounds[0]?.round === 0) {
    const root = proofRoot(proof.specHash, proof.rounds);
    if (root !== proof.proofRoot) mismatches.push(`proof root ${proof.proofRoot} is not the chain's ${root ?? "(chain not complete)"}`);
  }
  return { mismatches, fragmentsChecked, roundsChecked };
}
