import { parseEther } from "viem";
import { ApiRequestError } from "@/lib/auth/client";
import type { NormalisationKind } from "@/lib/datasets/client";

/** The form's fields as typed (strings); the server's zod schema has the last word on each. */
export const defaultFields = {
  hidden: "64",
  activation: "relu",
  layers: "2",
  heads: "4",
  dim: "64",
  context: "16",
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
/** An MLP classifier learns from tables; a language model (GPT) from text. */
export type JobTask = "classifier" | "language";
/** The sources each task offers, first the one picked when the task is: the server refuses a mismatch. */
export const sourcesByTask = {
  classifier: ["mnist", "iris", "csv"],
  language: ["names", "brown", "txt"],
} as const;
/** A built-in or an upload to make, or "dataset": an existing one chosen from its card (mine or published), by id. */
export type DatasetSource = (typeof sourcesByTask)[JobTask][number] | "dataset";
/** The sources the creator uploads a file for; the rest are built in. */
export const isUploadSource = (s: DatasetSource): s is "csv" | "txt" => s === "csv" || s === "txt";

/** A language model's starting point: the names demo's (lib/jobs/demo.ts DEMO_NAMES_JOB), AdamW's learning rate. */
export const languageDefaults: Partial<Fields> = {
  rounds: "10", shards: "4", localSteps: "25", batch: "16", learningRate: "0.003", outerLearningRate: "0.7", outerMomentum: "0.9",
};

/**
 * The fields once the creator picks a task: a language model starts from the names demo's training
 * values, a classifier from the defaults again (the fee and the seed are the creator's, so they stay).
 */
export function fieldsForTask(task: JobTask, fields: Fields): Fields {
  return task === "language" ? { ...fields, ...languageDefaults } : { ...defaultFields, fee: fields.fee, seed: fields.seed };
}

type JobChoice = { task: JobTask; source: DatasetSource; uploadedId?: string; datasetId?: string; scaling: NormalisationKind; fields: Fields };

/**
 * The POST /api/jobs body for what the form holds, or the errors the form can tell before asking the
 * server: no uploaded CSV or .txt yet, or a fee that is not a CXT amount.
 */
export function buildJobRequest({ task, source, uploadedId, datasetId, scaling, fields }: JobChoice): { body: Record<string, unknown> } | { errors: FieldErrors } {
  if (source === "dataset" && !datasetId) return { errors: { dataset: "choose a dataset" } };
  const dataset = source === "dataset" ? datasetId : isUploadSource(source) ? uploadedId : source;
  if (!dataset) return { errors: { dataset: `upload the ${source === "txt" ? ".txt" : "CSV"} first` } };
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
      model:
        task === "language"
          ? { kind: "gpt", layers: num("layers"), heads: num("heads"), dim: num("dim"), context: num("context") }
          : { kind: "mlp", hidden, activation: fields.activation },
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

/** The form's labels, so a validation message names the field as the creator sees it. */
const fieldLabels: Record<string, string> = {
  dataset: "Dataset", normalisation: "Input scaling", hidden: "Hidden layers", activation: "Activation", layers: "Layers", heads: "Attention heads",
  dim: "Width", context: "Context", rounds: "Rounds R", shards: "Shards S", localSteps: "Local steps K", batch: "Batch B",
  learningRate: "Learning rate", outerLearningRate: "Outer learning rate", outerMomentum: "Outer momentum", seed: "Seed",
  redundancy: "Redundancy k", spotCheckRate: "Spot-check rate", minTier: "Min tier", fee: "Fee",
};

/** zod's wording ("Too small: expected number to be >=1") in the creator's words ("must be at least 1"). */
export function inWords(message: string): string {
  const m = message.trim();
  const small = /^Too small: expected \w+ to (?:be|have) >=?\s*([\d.]+)/.exec(m);
  if (small) return `must be at least ${small[1]}`;
  const big = /^Too big: expected \w+ to (?:be|have) <=?\s*([\d.]+)/.exec(m);
  if (big) return `must be at most ${big[1]}`;
  if (/^Invalid input: expected (number|int)/.test(m)) return "must be a number";
  if (/expected int, received number/.test(m)) return "must be a whole number";
  return m;
}

/**
 * The server's validation answer spread over the fields it names (the last part of each path), in
 * words: "Rounds R must be at least 1", never `body.hyper.rounds: Too small`.
 */
export function errorsByField(e: unknown): FieldErrors {
  if (!(e instanceof ApiRequestError)) return { form: (e as Error).message };
  const details = Array.isArray(e.details) ? (e.details as { path: string; message: string }[]) : [];
  const out: FieldErrors = {};
  const sentences: string[] = [];
  const general: string[] = [];
  for (const d of details) {
    const field = d.path.split(".").pop();
    if (!field) {
      general.push(d.message);
      continue;
    }
    out[field] = inWords(d.message);
    sentences.push(`${fieldLabels[field] ?? field} ${inWords(d.message)}.`);
  }
  out.form = [...(sentences.length ? [`Check the form: ${sentences.join(" ")}`] : []), ...general].join(" ") || e.message;
  return out;
}
