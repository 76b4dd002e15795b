import { parseEther } from "viem";
import { ApiRequestError } from "@/lib/auth/client";
import type { NormalisationKind } from "@/lib/datasets/client";

/** The form's fields as typed (strings); the server's zod schema has the last word on each. */
export const defaultFields = {
  hidden: "64",
  activation: "relu",
  rounds: "5",
  shards: "8",
  localSteps: "20",
  batch: "32",
  learningRate: "0.05",
  outerLearningRate: "1",
  outerMomentum: "0",
  seed: "42",
  redundancy: "2",
  spotCheckRate: "0.05",
  minTier: "0",
  fee: "0",
};
export type Fields = typeof defaultFields;
export type FieldName = keyof Fields;
/** A message per field name, and `form` for what belongs to no field. */
export type FieldErrors = Record<string, string>;
export type DatasetSource = "mnist" | "iris" | "csv";

type JobChoice = { source: DatasetSource; uploadedId?: string; scaling: NormalisationKind; fields: Fields };

/**
 * The POST /api/jobs body for what the form holds, or the errors the form can tell before asking the
 * server: no uploaded CSV yet, or a fee that is not a CXT amount.
 */
export function buildJobRequest({ source, uploadedId, scaling, fields }: JobChoice): { body: Record<string, unknown> } | { errors: FieldErrors } {
  const dataset = source === "csv" ? uploadedId : source;
  if (!dataset) return { errors: { dataset: "upload the CSV first" } };
  let fee: string;
  try {
    fee = parseEther(fields.fee.trim() || "0").toString();
    if (fee.startsWith("-")) throw new Error("negative");
  } catch {
    return { errors: { fee: "a CXT amount, e.g. 0 or 12.5" } };
  }
  const num = (k: FieldName) => Number(fields[k]);
  const hidden = fields.hidden.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  return {
    body: {
      dataset,
      ...(source === "csv" ? { normalisation: scaling } : {}),
      model: { kind: "mlp", hidden, activation: fields.activation },
      hyper: {
        rounds: num("rounds"), shards: num("shards"), localSteps: num("localSteps"), batch: num("batch"),
        learningRate: num("learningRate"), outerLearningRate: num("outerLearningRate"), outerMomentum: num("outerMomentum"), seed: num("seed"),
      },
      redundancy: num("redundancy"),
      spotCheckRate: num("spotCheckRate"),
      minTier: num("minTier"),
      fee,
    },
  };
}

/** The server's validation answer spread over the fields it names (the last part of each path). */
export function errorsByField(e: unknown): FieldErrors {
  if (!(e instanceof ApiRequestError)) return { form: (e as Error).message };
  const details = Array.isArray(e.details) ? (e.details as { path: string; message: string }[]) : [];
  const out: FieldErrors = { form: e.message };
  for (const d of details) out[d.path.split(".").pop() || "form"] = d.message;
  return out;
}
