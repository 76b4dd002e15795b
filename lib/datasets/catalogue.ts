import "server-only";
// Published datasets (issue 24): publishing an upload (title, Markdown description, SPDX licence, the
// provider's fee share), the catalogue, a catalogue page's entry with its schema, lineage, jobs and
// earnings, and unlisting. The content is the blob its sha256 names and is never rewritten: a new
// version is a new upload published with `supersedes` naming the old one.
import { ApiError, forbidden, notFound } from "@/lib/api";
import type { BlobStore } from "@/lib/blobs";
import { Prisma, type PrismaClient } from "@/lib/db";
import type { CatalogueDetail, CatalogueEntry, CatalogueQuery, DatasetProfile, Earnings, ProviderEarnings, PublishDataset } from "./catalogue-schemas";
import { decodeTable } from "./layout";
import { tableProfile, textProfile } from "./profile";
import { isTextDataset, loadCorpus } from "./text-datasets";

type DatasetRow = Awaited<ReturnType<PrismaClient["dataset"]["findUniqueOrThrow"]>>;
type PublishedRow = DatasetRow & { title: string; license: string; feeBps: number; publishedAt: Date; owner: string };

/** Jobs "trained on" a dataset: those whose on-chain task was created (not awaiting it, not expired or failed before). */
const TRAINED = ["active", "completed", "cancelled"] as const;

const isPublished = (d: DatasetRow): d is PublishedRow => d.publishedAt !== null && d.owner !== null && d.title !== null && d.license !== null && d.feeBps !== null;

export function catalogueEntry(d: PublishedRow, jobsTrained: number, supersededBy: string | null): CatalogueEntry {
  const text = isTextDataset(d);
  const profile = d.profile as DatasetProfile | null;
  return {
    id: d.id,
    kind: text ? "text" : "table",
    title: d.title,
    name: d.name,
    provider: d.owner,
    license: d.license,
    feeBps: d.feeBps,
    sha256: d.sha256,
    rows: d.rows,
    columns: text ? null : d.features + 1,
    characters: profile?.kind === "text" ? profile.characters : null,
    classes: d.classes,
    sizeBytes: Number(d.sizeBytes),
    jobsTrained,
    listed: d.unlistedAt === null,
    publishedAt: d.publishedAt.toISOString(),
    unlistedAt: d.unlistedAt?.toISOString() ?? null,
    supersedes: d.supersedesId,
    supersededBy,
  };
}

async function profileOf(store: BlobStore, d: DatasetRow): Promise<DatasetProfile> {
  if (isTextDataset(d)) return textProfile(await loadCorpus(store, d.sha256));
  const bytes = await store.get(d.sha256);
  if (!bytes) throw new Error(`dataset blob ${d.sha256} is missing from the blob store`);
  return tableProfile(decodeTable(bytes), { featureNames: d.featureNames as string[], classNames: d.classNames as string[], labelColumn: d.labelColumn });
}

/** The caller's own upload, or 404 / 403 (a built-in or someone else's). */
async function ownUpload(db: PrismaClient, id: string, caller: string, verb: string): Promise<DatasetRow> {
  const row = await db.dataset.findUnique({ where: { id } });
  if (!row) throw notFound(`no dataset ${id}`);
  if (row.owner !== caller.toLowerCase()) throw forbidden(`only the account that uploaded dataset ${id} may ${verb} it`);
  return row;
}

/**
 * Publishes the caller's upload with its terms. Every check comes before the one write: a refused
 * request changes nothing. Once published the terms are fixed (409 on a second publish).
 */
export async function publishDataset(ctx: { db: PrismaClient; store: BlobStore }, caller: string, id: string, input: PublishDataset): Promise<CatalogueDetail> {
  const { db } = ctx;
  const row = await ownUpload(db, id, caller, "publish");
  if (row.publishedAt) throw new ApiError(409, "conflict", `dataset ${id} is already published: its content and terms are fixed; upload a new version and publish it with "supersedes": "${id}"`);
  if (input.supersedes) {
    const old = await db.dataset.findUnique({ where: { id: input.supersedes } });
    if (!old || !old.publishedAt || old.owner !== row.owner || old.id === row.id) {
      throw new ApiError(400, "validation_failed", `supersedes: ${input.supersedes} is not a dataset you published`, [{ path: "supersedes", message: "not a dataset you published" }]);
    }
  }
  const profile = await profileOf(ctx.store, row);
  const updated = await db.dataset.updateMany({
    where: { id, publishedAt: null },
    data: { title: input.title, description: input.description, license: input.license, feeBps: input.feeBps, supersedesId: input.supersedes ?? null, profile, publishedAt: new Date() },
  });
  if (updated.count === 0) throw new ApiError(409, "conflict", `dataset ${id} is already published`);
  return getCatalogueDataset(db, id);
}

/** Takes the provider's dataset out of the catalogue; new jobs can no longer choose it. Idempotent. */
export async function unlistDataset(db: PrismaClient, caller: string, id: string): Promise<CatalogueEntry> {
  const row = await ownUpload(db, id, caller, "unlist");
  if (!row.publishedAt) throw new ApiError(409, "conflict", `dataset ${id} is not published`);
  await db.dataset.updateMany({ where: { id, unlistedAt: null }, data: { unlistedAt: new Date() } });
  const [entry] = await entriesFor(db, [id]);
  return entry!;
}

/** Trained-job counts and newest successors for these datasets. */
async function entriesFor(db: PrismaClient, ids: string[]): Promise<CatalogueEntry[]> {
  if (ids.length === 0) return [];
  const [rows, counts, successors] = await Promise.all([
    db.dataset.findMany({ where: { id: { in: ids } } }),
    db.job.groupBy({ by: ["datasetId"], where: { datasetId: { in: ids }, status: { in: [...TRAINED] } }, _count: { _all: true } }),
    db.dataset.findMany({ where: { supersedesId: { in: ids }, publishedAt: { not: null } }, orderBy: { publishedAt: "desc" }, select: { id: true, supersedesId: true } }),
  ]);
  const count = new Map(counts.map((c) => [c.datasetId, c._count._all]));
  const next = new Map<string, string>();
  for (const s of successors) if (s.supersedesId && !next.has(s.supersedesId)) next.set(s.supersedesId, s.id);
  const byId = new Map(rows.filter(isPublished).map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [catalogueEntry(r, count.get(id) ?? 0, next.get(id) ?? null)] : [];
  });
}

/** The catalogue: published, listed datasets matching the query, a page of them in the asked order. */
export async function listCatalogue(db: PrismaClient, q: CatalogueQuery): Promise<{ datasets: CatalogueEntry[]; page: number; limit: number; total: number }> {
  const where = [Prisma.sql`d.published_at IS NOT NULL AND d.unlisted_at IS NULL`];
  if (q.q) where.push(Prisma.sql`d.title ILIKE ${`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (q.kind) where.push(q.kind === "text" ? Prisma.sql`d.features = 0` : Prisma.sql`d.features > 0`);
  if (q.license) where.push(Prisma.sql`lower(d.license) = ${q.license.toLowerCase()}`);
  if (q.provider) where.push(Prisma.sql`d.owner = ${q.provider.toLowerCase()}`);
  const cond = Prisma.join(where, " AND ");
  const order = q.sort === "jobs" ? Prisma.sql`trained DESC, d.published_at DESC, d.id` : Prisma.sql`d.published_at DESC, d.id`;
  const [rows, [{ total }]] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`
      SELECT d.id::text AS id, count(j.id) FILTER (WHERE j.status IN ('active', 'completed', 'cancelled')) AS trained
      FROM datasets d LEFT JOIN jobs j ON j.dataset_id = d.id
      WHERE ${cond}
      GROUP BY d.id
      ORDER BY ${order}
      LIMIT ${q.limit} OFFSET ${(q.page - 1) * q.limit}`,
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM datasets d WHERE ${cond}`,
  ]);
  return { datasets: await entriesFor(db, rows.map((r) => r.id)), page: q.page, limit: q.limit, total };
}

/** The licences the catalogue has datasets under, for its filter. */
export async function catalogueLicenses(db: PrismaClient): Promise<string[]> {
  const rows = await db.dataset.findMany({ where: { publishedAt: { not: null }, unlistedAt: null }, distinct: ["license"], select: { license: true }, orderBy: { license: "asc" } });
  return rows.flatMap((r) => (r.license ? [r.license] : []));
}

/** Oldest first: follow `supersedes` back, then the newest successor forward, this one included. */
async function versionsOf(db: PrismaClient, d: DatasetRow) {
  const pick = { id: true, title: true, publishedAt: true, unlistedAt: true, supersedesId: true } as const;
  type V = { id: string; title: string | null; publishedAt: Date | null; unlistedAt: Date | null; supersedesId: string | null };
  const back: V[] = [];
  const seen = new Set([d.id]);
  for (let at = d.supersedesId; at && !seen.has(at) && back.length < 50; ) {
    const v: V | null = await db.dataset.findUnique({ where: { id: at }, select: pick });
    if (!v) break;
    seen.add(v.id);
    back.unshift(v);
    at = v.supersedesId;
  }
  const forward: V[] = [];
  for (let at: string = d.id; forward.length < 50; ) {
    const v: V | null = await db.dataset.findFirst({ where: { supersedesId: at, publishedAt: { not: null } }, orderBy: { publishedAt: "desc" }, select: pick });
    if (!v || seen.has(v.id)) break;
    seen.add(v.id);
    forward.push(v);
    at = v.id;
  }
  return [...back, d, ...forward].map((v) => ({ id: v.id, title: v.title ?? "", publishedAt: (v.publishedAt ?? new Date(0)).toISOString(), listed: v.unlistedAt === null }));
}

/**
 * What the provider earned from these datasets, from the chain mirror. Paid: the `fee` payouts to the
 * provider of the tasks of jobs on them. Pending: per task, its share of the fee for the fragments the
 * network has accepted so far — floor(floor(fee × accepted ÷ fragments) × feeBps ÷ 10,000) — less what
 * was paid (the epochs commit it, the provider claims it; a refund is never shared).
 */
export async function earningsByDataset(db: PrismaClient, provider: string, datasetIds: string[]): Promise<Map<string, Earnings>> {
  const out = new Map<string, Earnings>(datasetIds.map((id) => [id, { paid: "0", pending: "0" }]));
  if (datasetIds.length === 0) return out;
  const rows = await db.$queryRaw<{ dataset_id: string; paid: string; expected: string }[]>`
    SELECT j.dataset_id::text AS dataset_id,
      coalesce((SELECT sum(p.amount) FROM task_payouts p WHERE p.chain_id = t.chain_id AND p.task_id = t.task_id AND p.recipient = ${provider.toLowerCase()} AND p.kind = 'fee'), 0)::text AS paid,
      floor(floor(t.fee * (SELECT count(*) FROM fragments f WHERE f.job_id = j.id AND f.status = 'accepted') / greatest(t.fragment_count, 1))
        * coalesce((j.spec->'dataset'->>'feeBps')::int, 0) / 10000)::text AS expected
    FROM jobs j JOIN tasks t ON t.chain_id = j.chain_id AND t.task_id = j.task_id
    WHERE j.dataset_id::text IN (${Prisma.join(datasetIds)}) AND lower(j.spec->'dataset'->>'provider') = ${provider.toLowerCase()}`;
  for (const r of rows) {
    const e = out.get(r.dataset_id)!;
    const paid = BigInt(r.paid.split(".")[0]!);
    const expected = BigInt(r.expected.split(".")[0]!);
    e.paid = (BigInt(e.paid) + paid).toString();
    e.pending = (BigInt(e.pending) + (expected > paid ? expected - paid : 0n)).toString();
  }
  return out;
}

/** A catalogue page: the entry, its description, schema, lineage, the jobs on it and its earnings. Unlisted ones too (old jobs link here). */
export async function getCatalogueDataset(db: PrismaClient, id: string): Promise<CatalogueDetail> {
  const row = await db.dataset.findUnique({ where: { id } });
  if (!row || !isPublished(row)) throw notFound(`no published dataset ${id}`);
  const [[entry], versions, jobs, earnings] = await Promise.all([
    entriesFor(db, [id]),
    versionsOf(db, row),
    db.job.findMany({ where: { datasetId: id, status: { in: [...TRAINED] } }, orderBy: { createdAt: "desc" }, take: 50, select: { id: true, status: true, creator: true, createdAt: true } }),
    earningsByDataset(db, row.owner, [id]),
  ]);
  const last = jobs.length
    ? await db.round.findMany({ where: { jobId: { in: jobs.map((j) => j.id) }, status: "aggregated" }, orderBy: { round: "desc" }, distinct: ["jobId"], select: { jobId: true, round: true, heldOutLoss: true, heldOutAccuracy: true } })
    : [];
  const result = new Map(last.map((r) => [r.jobId, r]));
  return {
    ...entry!,
    description: row.description ?? "",
    profile: row.profile as DatasetProfile,
    versions,
    jobs: jobs.map((j) => {
      const r = result.get(j.id);
      return { id: j.id, status: j.status, creator: j.creator, createdAt: j.createdAt.toISOString(), rounds: r ? r.round + 1 : 0, heldOutLoss: r?.heldOutLoss ?? null, heldOutAccuracy: r?.heldOutAccuracy ?? null };
    }),
    earnings: earnings.get(id)!,
  };
}

/** The provider's published datasets (listed or not) with their earnings, and the total. */
export async function providerEarnings(db: PrismaClient, provider: string): Promise<ProviderEarnings> {
  const rows = (await db.dataset.findMany({ where: { owner: provider.toLowerCase(), publishedAt: { not: null } }, orderBy: { publishedAt: "desc" } })).filter(isPublished);
  const [entries, earnings] = await Promise.all([entriesFor(db, rows.map((r) => r.id)), earningsByDataset(db, provider, rows.map((r) => r.id))]);
  const datasets = entries.map((e) => ({ id: e.id, title: e.title, listed: e.listed, feeBps: e.feeBps, jobsTrained: e.jobsTrained, earnings: earnings.get(e.id)! }));
  const sum = (k: keyof Earnings) => datasets.reduce((s, d) => s + BigInt(d.earnings[k]), 0n).toString();
  return { provider: provider.toLowerCase(), total: { paid: sum("paid"), pending: sum("pending") }, datasets };
}
