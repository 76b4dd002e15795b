import { formatPercent } from "@/lib/format/client";

/** Loss as a plain decimal (the rounds table's contract: e2e parses it with Number()). */
export function formatLoss(loss: number | null): string {
  return loss === null ? "—" : loss.toFixed(4);
}

/** Accuracy 0..1 as a percentage with two decimals, e.g. "91.25%" (the one number helper). */
export function formatAccuracy(accuracy: number | null): string {
  return formatPercent(accuracy);
}
