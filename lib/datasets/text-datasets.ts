import "server-only";
// Text datasets (GPT jobs) in the datasets table and the blob store, beside the CXDS tables of MLP jobs.
//
// A text dataset's blob is its split corpus as UTF-8 JSON — `{ "format": "corex-text-corpus/1", train,
// validation, vocabulary, stats }` (lib/datasets/text/corpus.ts: the training and validation streams with
// "\n" as the boundary, the training split's character vocabulary) — content-addressed like every blob.
// Its row says it is text by `features: 0` (no feature columns): classes = the vocabulary size,
// classNames = the vocabulary, rows = training + validation examples, heldOutRows = validation examples,
// mean/std empty. A job cuts the streams into windows of its own context (lib/jobs createJob).
import type { BlobStore } from "@/lib/blobs";
import type { PrismaClient } from "@/lib/db";
import { CORPUS_FORMAT, encodeCorpus } from "./corpus-blob";
import { loadBuiltinText, type BuiltinTextName } from "./text/builtin";
import type { TextCorpus } from "./text";

export { builtinTextNames, loadBuiltinText, type BuiltinTextName } from "./text/builtin";

type DatasetRow = Awaited<ReturnType<PrismaClient["dataset"]["findUniqueOrThrow"]>>;

/** Fixed ids, like the tabular built-ins' (lib/datasets/builtin.ts). */
export const builtinTextIds: Record<BuiltinTextName, string> = {
  names: "00000000-0000-4000-8000-000000000003",
  brown: "00000000-0000-4000-8000-000000000004",
};

/** A row of the datasets table holds text (a corpus blob), not a CXDS table. */
export const isTextDataset = (d: { features: number }): boolean => d.features === 0;

export async function loadCorpus(store: BlobStore, sha256: string): Promise<TextCorpus> {
  const bytes = await store.get(sha256);
  if (!bytes) throw new Error(`text dataset blob ${sha256} is missing from the blob store`);
  const c = JSON.parse(new TextDecoder().decode(bytes)) as TextCorpus & { format?: string };
  if (c.format !== CORPUS_FORMAT) throw new Error(`blob ${sha256} is not a ${CORPUS_FORMAT} text corpus`);
  return c;
}

/** What a row records of a corpus (an uploaded one arrives already encoded, with just these). */
export type CorpusSummary = Pick<TextCorpus, "vocabulary" | "stats">;

function rowFields(c: CorpusSummary, name: string, sha256: string, size: number) {
  return {
    name,
    sha256,
    rows: c.stats.trainExamples + c.stats.validationExamples,
    features: 0,
    classes: c.vocabulary.length,
    featureNames: [],
    classNames: c.vocabulary,
    labelColumn: null,
    mean: [],
    std: [],
    heldOutRows: c.stats.validationExamples,
    sizeBytes: BigInt(size),
  };
}

const confirmed = new WeakMap<PrismaClient, Set<BuiltinTextName>>();

/** The built-in text dataset's row, created with its blob on first use; rebuilt once per process, as the tabular built-ins are. */
export async function ensureBuiltinTextDataset(db: PrismaClient, store: BlobStore, name: BuiltinTextName): Promise<DatasetRow> {
  const id = builtinTextIds[name];
  const existing = await db.dataset.findUnique({ where: { id } });
  const seen = confirmed.get(db) ?? new Set<BuiltinTextName>();
  confirmed.set(db, seen);
  if (existing && seen.has(name) && (await store.has(existing.sha256))) return existing;
  const corpus = await loadBuiltinText(name);
  const bytes = encodeCorpus(corpus);
  const { sha256 } = await store.put(bytes);
  seen.add(name);
  if (existing?.sha256 === sha256) return existing;
  const fields = { source: "builtin", ...rowFields(corpus, name, sha256, bytes.byteLength) };
  return db.dataset.upsert({ where: { id }, create: { id, ...fields }, update: fields });
}

/**
 * Stores a validated .txt upload, its corpus blob already encoded by the upload's worker thread
 * (lib/datasets/text/upload.ts has refused anything unusable before this).
 */
export async function saveUploadedText(db: PrismaClient, store: BlobStore, owner: string, text: CorpusSummary & { blob: Uint8Array; name?: string | null; fileName?: string }): Promise<DatasetRow> {
  const { sha256 } = await store.put(text.blob);
  return db.dataset.create({
    data: { source: "upload", owner: owner.toLowerCase(), ...rowFields(text, (text.name || text.fileName || "upload.txt").slice(0, 200), sha256, text.blob.byteLength) },
  });
}
