// A small, honest proof built in memory with the CPU reference (3 rounds × 2 shards, the demo's outer
// optimizer: lr 0.6, momentum 0.9), for the proof-check and verify-proof tests: each test forges one
// field of a copy and expects exactly that check to fire.
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { initWeights, outerStep, runFragmentReference } from "@/lib/compute";
import { encodeTable } from "@/lib/datasets/client";
import { encodeFloat32 } from "./fragments";
import { fragmentInput, mlpOf } from "./inputs";
import { proofRoot, type Proof, type ProofRound } from "./proof-check";
import type { TrainingSpec } from "./spec";

const hex = (b: Uint8Array) => bytesToHex(sha256(b));

export type ProofFixture = {
  proof: Proof;
  blobs: Map<string, Uint8Array>;
  /** every round's accepted deltas in shard order, and W_0, for independent recomputations */
  deltas: Float32Array[][];
  w0: Float32Array;
  /** each round's W_{r+1} as the fixture computed it (float32, outerStep) */
  weights: Float32Array[];
};

export function buildProof(opts: { rounds?: number; lr?: number; momentum?: number } = {}): ProofFixture {
  const rounds = opts.rounds ?? 3;
  const blobs = new Map<string, Uint8Array>();
  const put = (b: Uint8Array) => {
    const h = hex(b);
    blobs.set(h, b);
    return h;
  };
  const features = 3;
  const shardBytes = [0, 1].map((s) => {
    const rows = 12;
    const x = new Float32Array(rows * features).map((_, i) => Math.sin(i * 1.7 + s * 3.1) * 2);
    const y = new Uint32Array(rows).map((_, i) => (x[i * features]! + x[i * features + 1]! > 0 ? 1 : 0));
    return encodeTable({ rows, features, classes: 2, x, y });
  });
  const heldOut = encodeTable({ rows: 1, features, classes: 2, x: new Float32Array(features), y: new Uint32Array(1) });
  const spec: TrainingSpec = {
    version: 1, chainId: 31337,
    dataset: { name: "fixture", sha256: "0".repeat(64), rows: 24, features, classes: 2, mean: [0.1, -0.2, 0], std: [1.5, 1, 2] },
    shards: shardBytes.map((b) => ({ sha256: put(b), rows: 12 })),
    heldOut: { sha256: put(heldOut), rows: 1 },
    model: { kind: "mlp", layers: [features, 4, 2], activation: "tanh" },
    hyper: { rounds, shards: 2, localSteps: 3, batch: 4, learningRate: 0.3, outerLearningRate: opts.lr ?? 0.6, outerMomentum: opts.momentum ?? 0.9, seed: 5 },
    redundancy: 2, spotCheckRate: 0, minTier: 0, fee: "0", salt: "fixture",
  };
  const w0 = initWeights(mlpOf(spec), spec.hyper.seed);
  let w = w0;
  let state: { velocity: Float32Array } | undefined;
  const out: ProofRound[] = [];
  const deltas: Float32Array[][] = [];
  const weights: Float32Array[] = [];
  for (let r = 0; r < rounds; r++) {
    const wSha = put(encodeFloat32(w));
    const stateSha = state ? put(encodeFloat32(state.velocity)) : null;
    const ds = [0, 1].map((s) => runFragmentReference(fragmentInput(spec, r, s, w, shardBytes[s]!)).delta);
    deltas.push(ds);
    const dShas = ds.map((d) => put(encodeFloat32(d)));
    const next = outerStep(w, ds, { lr: spec.hyper.outerLearningRate, momentum: spec.hyper.outerMomentum }, state);
    const nextSha = put(encodeFloat32(next.weights));
    const nextStateSha = put(encodeFloat32(next.state.velocity));
    out.push({
      round: r, status: "aggregated", weightsSha256: wSha, optimizerStateSha256: stateSha,
      acceptedResults: [0, 1].map((s) => ({ shard: s, fragmentId: `f${r}-${s}`, deltaSha256: dShas[s]! })),
      nextWeightsSha256: nextSha, nextOptimizerStateSha256: nextStateSha, trainLoss: null, heldOutLoss: null, heldOutAccuracy: null,
      fragments: [0, 1].map((s) => ({
        id: `f${r}-${s}`, shard: s, status: "accepted", seed: 0, weightsSha256: wSha, shardSha256: spec.shards[s]!.sha256,
        steps: spec.hyper.localSteps, batch: spec.hyper.batch, lr: spec.hyper.learningRate, workUnits: "1",
        acceptedSha256: dShas[s]!, referenceSha256: null, results: [],
      })),
    });
    w = next.weights;
    state = next.state;
    weights.push(w);
  }
  const specHash = `0x${"0".repeat(64)}`;
  const proof: Proof = {
    jobId: "fixture", specHash, proofRoot: proofRoot(specHash, out), spec: spec as unknown as Record<string, unknown>, status: "completed",
    tolerance: { relativeL2: 1e-4 }, finalWeightsSha256: out[rounds - 1]!.nextWeightsSha256, completeTx: null,
    redundancy: { replicaWork: "0", usefulWork: "0", overhead: null }, rounds: out,
  };
  return { proof, blobs, deltas, w0, weights };
}
