// Input and output shapes of publishing and the catalogue (issue 24): the routes parse with these,
// /api/openapi.json is generated from them, and the publish form checks with them before it sends.
// the attribute: Node (Playwright's loader, tsx scripts) refuses a JSON module without it
import spdxLicenseIds from "spdx-license-ids/index.json" with { type: "json" };
import { z } from "zod";

/** The provider's share of a job's fee is at most 30 % (basis points). */
export const MAX_FEE_BPS = 3000;
/** A description is Markdown of at most 20 KB (UTF-8 bytes). */
export const MAX_DESCRIPTION_BYTES = 20 * 1024;

// SPDX identifiers match case-insensitively (SPDX spec, annex B); the catalogue stores the list's spelling.
const spdxByLowerCase = new Map((spdxLicenseIds as string[]).map((id) => [id.toLowerCase(), id]));
/** The SPDX list's spelling of `id`, or null when it is not on the list. */
export const canonicalLicense = (id: string): string | null => spdxByLowerCase.get(id.trim().toLowerCase()) ?? null;
export const licenseIds: readonly string[] = spdxLicenseIds as string[];

const utf8Bytes = (s: string) => new TextEncoder().encode(s).byteLength;

export const publishDatasetSchema = z
  .object({
    title: z.string().trim().min(1, "give the dataset a title").max(200, "at most 200 characters").describe("shown in the catalogue; searchable"),
    description: z
      .string()
      .refine((s) => utf8Bytes(s) <= MAX_DESCRIPTION_BYTES, `at most ${MAX_DESCRIPTION_BYTES / 1024} KB of Markdown`)
      .default("")
      .describe("Markdown (rendered sanitised: no HTML, scripts or styles), at most 20 KB"),
    license: z
      .string()
      .max(100)
      .refine((s) => canonicalLicense(s) !== null, "not an SPDX licence identifier (e.g. CC-BY-4.0, MIT, CC0-1.0; see spdx.org/licenses)")
      .transform((s) => canonicalLicense(s)!)
      .describe("an SPDX licence identifier from the SPDX list (spdx-license-ids), e.g. CC-BY-4.0"),
    feeBps: z
      .number()
      .int("a whole number of basis points")
      .min(0, "at least 0")
      .max(MAX_FEE_BPS, `at most ${MAX_FEE_BPS} (30 %)`)
      .describe("the provider's share of every job's fee paid for accepted work, in basis points (0–3,000 = 0–30 %)"),
    supersedes: z.uuid("must be a dataset id (uuid)").optional().describe("a dataset of yours this one is a new version of (it stays listed until you unlist it)"),
  })
  .strict()
  .meta({ id: "PublishDataset" });

export type PublishDatasetInput = z.input<typeof publishDatasetSchema>;
export type PublishDataset = z.output<typeof publishDatasetSchema>;

export const catalogueSorts = ["newest", "jobs"] as const;
export const datasetKinds = ["table", "text"] as const;

export const catalogueQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1).describe("1-based page"),
    limit: z.coerce.number().int().min(1).max(100).default(20).describe("datasets per page"),
    q: z.string().trim().max(200).optional().describe("search the titles (case-insensitive substring)"),
    kind: z.enum(datasetKinds).optional().describe('"table" (CSV, for classifiers) or "text" (for language models)'),
    license: z.string().max(100).optional().describe("an SPDX identifier: only datasets under it"),
    provider: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address").optional().describe("only this provider's datasets"),
    sort: z.enum(catalogueSorts).default("newest").describe('"newest" first, or most "jobs" trained first'),
    scope: z
      .enum(["catalogue", "mine"])
      .default("catalogue")
      .describe('"catalogue": published, listed datasets (paged, filtered); "mine": the built-ins and, signed in, your own uploads (published or not), unpaged — what the New job form offers besides the catalogue'),
  })
  .strict();
export type CatalogueQuery = z.output<typeof catalogueQuerySchema>;

export const datasetParamsSchema = z.object({ id: z.uuid("must be a dataset id (uuid)") }).strict();

const numberOrNull = z.number().nullable();

export const columnProfileSchema = z.object({
  name: z.string(),
  type: z.enum(["integer", "number", "label"]).describe('"label": the label column (its classes); the others are feature columns'),
  min: numberOrNull,
  max: numberOrNull,
  mean: numberOrNull,
  missing: z.number().int().describe("cells without a value (uploads refuse them, so 0 unless the format changes)"),
  classes: z.number().int().optional().describe("label column: distinct values"),
});

export const datasetProfileSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("table"),
      rows: z.number().int(),
      columns: z.array(columnProfileSchema),
      preview: z.object({ header: z.array(z.string()), rows: z.array(z.array(z.string())) }).describe("the first rows, as the table holds them"),
    }),
    z.object({
      kind: z.literal("text"),
      characters: z.number().int().describe("length of the text in characters (training and validation streams)"),
      examples: z.number().int(),
      characterSet: z.array(z.string()).describe("the distinct characters (the vocabulary without the boundary)"),
      preview: z.array(z.string()).describe("the first examples"),
    }),
  ])
  .meta({ id: "DatasetProfile" });
export type DatasetProfile = z.output<typeof datasetProfileSchema>;

export const catalogueEntrySchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(datasetKinds),
    title: z.string(),
    name: z.string().describe("the upload's name"),
    provider: z.string().describe("the publisher's address (lower case): receives feeBps of every job's fee"),
    license: z.string(),
    feeBps: z.number().int(),
    sha256: z.string().describe("sha-256 of the dataset blob: the content, named by every job spec that trains on it"),
    rows: z.number().int().describe("table: rows; text: examples"),
    columns: z.number().int().nullable().describe("table: feature columns + the label column; null for text"),
    characters: z.number().int().nullable().describe("text: characters; null for a table"),
    classes: z.number().int().describe("table: the label's classes; text: the vocabulary size (characters + the boundary)"),
    sizeBytes: z.number().int(),
    jobsTrained: z.number().int().describe("jobs whose on-chain task was created on it (active, completed or cancelled)"),
    listed: z.boolean().describe("false once the provider unlisted it: no new job may choose it"),
    publishedAt: z.iso.datetime(),
    unlistedAt: z.iso.datetime().nullable(),
    supersedes: z.uuid().nullable().describe("the dataset this is a new version of"),
    supersededBy: z.uuid().nullable().describe("the newest dataset that names this one as its previous version"),
  })
  .meta({ id: "CatalogueEntry" });
export type CatalogueEntry = z.output<typeof catalogueEntrySchema>;

export const catalogueListSchema = z
  .object({ datasets: z.array(catalogueEntrySchema), page: z.number().int(), limit: z.number().int(), total: z.number().int() })
  .meta({ id: "DatasetCatalogue" });

const versionSchema = z.object({ id: z.uuid(), title: z.string(), publishedAt: z.iso.datetime(), listed: z.boolean() });

export const earningsSchema = z
  .object({
    paid: z.string().describe("CXT wei paid to the provider for this dataset (fee payouts in the chain mirror)"),
    pending: z.string().describe("CXT wei earned and not yet paid: claimable + accruing"),
    claimable: z.string().describe("CXT wei the provider can claim now (TaskManager.claimFee): its fee leaves in the latest final epoch, less what was paid — exact"),
    accruing: z
      .string()
      .describe("CXT wei of accepted work not yet in a final epoch's fee leaves: exact once an epoch is posted, before that the share of the fragments accepted so far"),
  })
  .meta({ id: "DatasetEarnings" });
export type Earnings = z.output<typeof earningsSchema>;

export const catalogueDetailSchema = catalogueEntrySchema
  .extend({
    description: z.string().describe("Markdown"),
    profile: datasetProfileSchema,
    versions: z.array(versionSchema).describe("the version lineage, oldest first (this one included)"),
    jobs: z
      .array(
        z.object({
          id: z.uuid(),
          status: z.string(),
          creator: z.string(),
          createdAt: z.iso.datetime(),
          rounds: z.number().int().describe("rounds aggregated"),
          heldOutLoss: z.number().nullable(),
          heldOutAccuracy: z.number().nullable().describe("classifiers only"),
        }),
      )
      .describe("the jobs that trained on it, newest first (at most 50), with their latest results"),
    earnings: earningsSchema,
  })
  .meta({ id: "CatalogueDataset" });
export type CatalogueDetail = z.output<typeof catalogueDetailSchema>;

export const providerEarningsSchema = z
  .object({
    provider: z.string(),
    finalEpoch: z.number().int().nullable().describe("the latest final epoch the claimable figures come from (null: none, or the chain could not be read)"),
    total: earningsSchema,
    taskIds: z.array(z.string()).describe("the on-chain tasks of the jobs on these datasets (their fee leaves are the provider's claims)"),
    datasets: z.array(z.object({ id: z.uuid(), title: z.string(), listed: z.boolean(), feeBps: z.number().int(), jobsTrained: z.number().int(), earnings: earningsSchema })),
  })
  .meta({ id: "ProviderEarnings" });
export type ProviderEarnings = z.output<typeof providerEarningsSchema>;

export const earningsQuerySchema = z
  .object({ provider: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address").optional().describe("the provider (default: the signed-in account)") })
  .strict();
