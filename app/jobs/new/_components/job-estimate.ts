import { gptJobWorkUnits, jobWorkUnits, suggestedFee } from "@/lib/jobs/client";

/**
 * What the creator sees before signing: the job's work (FLOPs, as the server prices it: lib/jobs/work.ts),
 * the fee the network suggests for it, how the fee is split when a published dataset's provider takes a
 * share, and a rough time.
 *
 * Time: rounds run one after another; a round's S × k fragments run side by side on as many nodes, each
 * at ASSUMED_NODE_FLOPS (a laptop browser's WASM pace), plus ROUND_OVERHEAD_S for claims, uploads,
 * verification and aggregation. A rough floor when enough nodes are free, not a promise.
 */
export const ASSUMED_NODE_FLOPS = 1e9;
export const ROUND_OVERHEAD_S = 10;

export type EstimateDataset = { kind: "table" | "text"; features: number; classes: number; feeBps?: number; provider?: string };
export type EstimateInput = {
  dataset: EstimateDataset | null;
  model: { kind: "mlp"; hidden: number[] } | { kind: "gpt"; layers: number; heads: number; dim: number; context: number };
  hyper: { rounds: number; shards: number; localSteps: number; batch: number };
  redundancy: number;
  fee: bigint | null;
};
export type Estimate = {
  workUnits: bigint;
  fragments: number;
  suggestedFee: bigint;
  seconds: number;
  providerShare: bigint | null;
  nodesShare: bigint | null;
};

const whole = (n: number) => Number.isInteger(n) && n > 0;

/** null while the form holds something the estimate cannot use (no dataset yet, a field not a positive whole number). */
export function estimateJob(i: EstimateInput): Estimate | null {
  const { dataset, model, hyper: h } = i;
  if (!dataset || ![h.rounds, h.shards, h.localSteps, h.batch, i.redundancy].every(whole)) return null;
  let workUnits: bigint;
  if (model.kind === "gpt") {
    if (![model.layers, model.heads, model.dim, model.context].every(whole)) return null;
    workUnits = gptJobWorkUnits({ kind: "gpt", layers: model.layers, heads: model.heads, dim: model.dim, context: model.context, vocab: dataset.classes, tied: true }, h);
  } else {
    if (dataset.kind !== "table" || !model.hidden.every(whole)) return null;
    workUnits = jobWorkUnits([dataset.features, ...model.hidden, dataset.classes], h);
  }
  const perFragment = Number(workUnits) / (h.rounds * h.shards);
  const seconds = h.rounds * (perFragment / ASSUMED_NODE_FLOPS + ROUND_OVERHEAD_S);
  const bps = dataset.feeBps ?? 0;
  const providerShare = i.fee !== null && dataset.provider ? (i.fee * BigInt(bps)) / 10_000n : null;
  return {
    workUnits,
    fragments: h.rounds * h.shards,
    suggestedFee: suggestedFee(workUnits, i.redundancy),
    seconds,
    providerShare,
    nodesShare: providerShare !== null && i.fee !== null ? i.fee - providerShare : null,
  };
}

/** 42 → "about 1 minute", 5400 → "about 1.5 hours". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return "about 1 minute";
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} minutes`;
  const hours = seconds / 3600;
  return hours < 36 ? `about ${Number(hours.toFixed(1))} hours` : `about ${Number((hours / 24).toFixed(1))} days`;
}
