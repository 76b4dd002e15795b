import { z } from "zod";
import { UPLOAD_ID_HEADER, UPLOAD_ID_RE } from "./upload-id";

export const datasetSchema = z
  .object({
    id: z.string(),
    source: z.enum(["builtin", "upload"]),
    kind: z.enum(["table", "text"]).describe('"table": CXDS rows for MLP jobs; "text": a character corpus for GPT (language model) jobs'),
    name: z.string(),
    sha256: z.string().describe("sha-256 of the dataset blob (CXDS layout, see docs/concepts/jobs-and-datasets.md)"),
    rows: z.number().int(),
    features: z.number().int(),
    classes: z.number().int(),
    featureNames: z.array(z.string()),
    classNames: z.array(z.string()).describe("table: the label values; text: the character vocabulary (entry 0 the boundary \"\\n\")"),
    labelColumn: z.string().nullable(),
    mean: z.array(z.number()).describe("per-feature mean; workers normalise x' = (x − mean) / (std || 1)"),
    std: z.array(z.number()).describe("per-feature population standard deviation"),
    heldOutRows: z.number().int().nullable().describe("fixed held-out tail (MNIST: 2,000); null = 20% chosen by the job's seed"),
    sizeBytes: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Dataset" });

export const datasetListSchema = z.object({ datasets: z.array(datasetSchema) }).meta({ id: "DatasetList" });

/** The multipart form of POST /api/datasets (documented in OpenAPI; busboy reads it as it streams). */
export const datasetUploadSchema = z
  .object({
    label: z.string().min(1).max(200).optional().describe("CSV: name of the label column (required for a CSV); send this field before `file`"),
    kind: z.enum(["csv", "text"]).optional().describe('"text": the file is UTF-8 text for a language model (implied by a .txt file name)'),
    mode: z.enum(["lines", "stream"]).optional().describe('text: "lines" (default) = one example per line, split by example; "stream" = one text, its last 10 % held out'),
    name: z.string().max(200).optional().describe("display name (default: the file name)"),
    file: z
      .string()
      .describe("the CSV (header row, numeric feature columns and the label column), or a .txt: UTF-8, at most 256 distinct characters, ≤ 50 MB; refused with text_binary, text_empty, text_vocabulary, text_too_small or payload_too_large, and then nothing is stored")
      .meta({ format: "binary" }),
  })
  .strict()
  .meta({ id: "DatasetUpload" });

export { UPLOAD_ID_HEADER } from "./upload-id";

export const uploadParamsSchema = z.object({ id: z.string().regex(UPLOAD_ID_RE).describe(`the id the client sent in the ${UPLOAD_ID_HEADER} header`) });

export const uploadStatusSchema = z
  .object({
    phase: z
      .enum(["receiving", "finishing", "storing", "done", "failed"])
      .describe('"receiving": the file arrives and is parsed as it comes; "finishing": all of it arrived, the table is being built; "storing": blob and row being written'),
    bytes: z.number().int().describe("bytes of the file parsed so far"),
    rows: z.number().int().describe("CSV: data rows parsed so far; .txt: lines"),
    datasetId: z.string().nullable().describe("the stored dataset, once done"),
    error: z.object({ code: z.string(), message: z.string() }).nullable().describe("why it failed (the upload's own answer has the same)"),
  })
  .meta({ id: "UploadStatus" });

export type UploadStatus = z.infer<typeof uploadStatusSchema>;
