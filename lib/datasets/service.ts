import "server-only";
import { ApiError } from "@/lib/api";
import type { BlobStore } from "@/lib/blobs";
import type { PrismaClient } from "@/lib/db";
import { builtinIds, builtinNames, loadBuiltin, type BuiltinName } from "./builtin";
import type { CsvTable } from "./csv";
import { decodeTable, encodeTable, featureStats, type Table } from "./layout";
import { builtinTextNames, ensureBuiltinTextDataset, isTextDataset, type BuiltinTextName } from "./text-datasets";

type DatasetRow = Awaited<ReturnType<PrismaClient["dataset"]["findUniqueOrThrow"]>>;

export type DatasetView = {
  id: string;
  source: "builtin" | "upload";
  kind: "table" | "text";
  name: string;
  sha256: string;
  rows: number;
  features: number;
  classes: number;
  featureNames: string[];
  classNames: string[];
  labelColumn: string | null;
  mean: number[];
  std: number[];
  heldOutRows: number | null;
  sizeBytes: number;
  createdAt: string;
  published: boolean;
  listed: boolean;
};

export function datasetView(d: DatasetRow): DatasetView {
  return {
    id: d.id,
    source: d.source as DatasetView["source"],
    kind: isTextDataset(d) ? "text" : "table",
    name: d.name,
    sha256: d.sha256,
    rows: d.rows,
    features: d.features,
    classes: d.classes,
    featureNames: d.featureNames as string[],
    classNames: d.classNames as string[],
    labelColumn: d.labelColumn,
    mean: d.mean as number[],
    std: d.std as number[],
    heldOutRows: d.heldOutRows,
    sizeBytes: Number(d.sizeBytes),
    createdAt: d.createdAt.toISOString(),
    published: d.publishedAt !== null,
    listed: d.unlistedAt === null,
  };
}

/**
 * Stores a validated upload, its CXDS blob and statistics already computed by the upload's worker thread:
 * the blob first (content-addressed, harmless if orphaned), then the row.
 */
export async function saveUploadedDataset(db: PrismaClient, store: BlobStore, owner: string, csv: CsvTable & { name?: string | null; fileName?: string }): Promise<DatasetView> {
  const { sha256 } = await store.put(csv.blob);
  const row = await db.dataset.create({
    data: {
      source: "upload",
      name: (csv.name || csv.fileName || "upload.csv").slice(0, 200),
      owner: owner.toLowerCase(),
      sha256,
      rows: csv.rows,
      features: csv.features,
      classes: csv.classes,
      featureNames: csv.featureNames,
      classNames: csv.classNames,
      labelColumn: csv.labelColumn,
      mean: csv.mean,
      std: csv.std,
      sizeBytes: BigInt(csv.blob.byteLength),
    },
  });
  return datasetView(row);
}

// Built-ins whose row this process has rebuilt or confirmed against its own decoding, per database.
const confirmed = new WeakMap<PrismaClient, Set<BuiltinName>>();

/**
 * The built-in dataset's row, created with its blob on first use (idempotent across instances). Once
 * per process the table is decoded again and the row rewritten if its hash differs, so a database
 * seeded by an older decoder (the MNIST one that invented blank digits) is repaired on the next start;
 * jobs already created keep their own shards and spec.
 */
export async function ensureBuiltinDataset(db: PrismaClient, store: BlobStore, name: BuiltinName): Promise<DatasetRow> {
  const id = builtinIds[name];
  const existing = await db.dataset.findUnique({ where: { id } });
  const seen = confirmed.get(db) ?? new Set<BuiltinName>();
  confirmed.set(db, seen);
  if (existing && seen.has(name) && (await store.has(existing.sha256))) return existing;
  const data = await loadBuiltin(name);
  const bytes = encodeTable(data);
  const { sha256 } = await store.put(bytes);
  seen.add(name);
  if (existing?.sha256 === sha256) return existing;
  const { mean, std } = featureStats(data);
  const fields = {
    source: "builtin",
    name,
    sha256,
    rows: data.rows,
    features: data.features,
    classes: data.classes,
    featureNames: data.featureNames,
    classNames: data.classNames,
    labelColumn: null,
    mean,
    std,
    heldOutRows: data.heldOutRows,
    sizeBytes: BigInt(bytes.byteLength),
  };
  return db.dataset.upsert({ where: { id }, create: { id, ...fields }, update: fields });
}

export async function listDatasets(db: PrismaClient, store: BlobStore, owner: string | null): Promise<DatasetView[]> {
  const builtins = await Promise.all([
    ...builtinNames.map((n) => ensureBuiltinDataset(db, store, n)),
    ...builtinTextNames.map((n) => ensureBuiltinTextDataset(db, store, n)),
  ]);
  // A language-model inference job's prompts file is kept as a row (source "prompts") but is no dataset to train on.
  const mine = owner ? await db.dataset.findMany({ where: { owner: owner.toLowerCase(), source: { not: "prompts" } }, orderBy: { createdAt: "desc" } }) : [];
  return [...builtins, ...mine].map(datasetView);
}

/**
 * A dataset a new job may train on, by built-in name or id: a built-in, one of the creator's uploads, or
 * a published dataset still listed. An unlisted one is refused to everyone, its provider included (jobs
 * already on it keep their spec and train on).
 */
export async function resolveDataset(db: PrismaClient, store: BlobStore, ref: string, owner: string): Promise<DatasetRow> {
  if ((builtinNames as readonly string[]).includes(ref)) return ensureBuiltinDataset(db, store, ref as BuiltinName);
  if ((builtinTextNames as readonly string[]).includes(ref)) return ensureBuiltinTextDataset(db, store, ref as BuiltinTextName);
  const row = /^[0-9a-f-]{36}$/i.test(ref) ? await db.dataset.findUnique({ where: { id: ref } }) : null;
  if (row?.unlistedAt) {
    throw new ApiError(422, "dataset_unlisted", `dataset: "${row.title ?? ref}" was unlisted by its provider: new jobs cannot choose it`, { path: "dataset" });
  }
  if (!row || row.source === "prompts" || (row.owner !== null && row.owner !== owner.toLowerCase() && !row.publishedAt)) {
    throw new ApiError(422, "dataset_not_found", `dataset: "${ref}" is neither a built-in dataset (${[...builtinNames, ...builtinTextNames].join(", ")}), one of your uploads nor a published dataset`, { path: "dataset" });
  }
  return row;
}

/**
 * What a job spec's `dataset` adds for a published dataset: its provider and fee share, so the spec
 * hash (and TaskManager.createTask) commit to who is paid what. Nothing for built-ins and private uploads.
 */
export function providerTerms(d: DatasetRow): { provider: string; feeBps: number } | Record<string, never> {
  return d.publishedAt && d.owner && d.feeBps !== null ? { provider: d.owner, feeBps: d.feeBps } : {};
}

export async function loadTable(store: BlobStore, sha256: string): Promise<Table> {
  const bytes = await store.get(sha256);
  if (!bytes) throw new Error(`dataset blob ${sha256} is missing from the blob store`);
  return decodeTable(bytes);
}
