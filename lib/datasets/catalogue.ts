import "server-only";
// Published datasets (issue 24): publishing an upload (title, Markdown description, SPDX licence, the
// provider's fee share), the catalogue, a catalogue page's entry with its schema, lineage, jobs and
// earnings, and unlisting. The content is the blob its sha256 names and is never rewritten: a new
// version is a new upload published with `supersedes` naming the old one.
import { ApiError, forbidden, notFound } from "@/lib/api";
import type { BlobStore } from "@/lib/blobs";
import { Prisma, type PrismaClient } from "@/lib/db";
import type { FeeLeaf } from "@/lib/epochs";
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

/** The provider's "fee" leaf (cumulative CXT wei) per task in an epoch close's fee tree. */
function providerLeaves(feesTree: unknown, provider: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const v of (feesTree as { values?: { value: FeeLeaf }[] } | null)?.values ?? []) {
    const [kind, taskId, account, amount] = v.value;
    if (kind === "fee" && account.toLowerCase() === provider) out.set(taskId, BigInt(amount));
  }
  return out;
}

/**
 * What the provider earned from these datasets, per task of a job on them (a refund is never shared):
 *
 * - paid: the `fee` payouts to the provider (the chain mirror's task_payouts);
 * - claimable: exact — the provider's fee leaf in the latest final epoch (`finalEpoch`, the ledger's
 *   latestFinalEpoch: its root is what TaskManager.claimFee proves against) less what was paid;
 * - accruing: work accepted but not yet in a final epoch's leaves — exact once an epoch is posted
 *   (the latest posted epoch's leaf), before that the share of the fragments accepted so far,
 *   floor(floor(fee × accepted ÷ fragments) × feeBps ÷ 10,000) (what the next epoch's leaf will hold);
 * - pending: claimable + accruing.
 *
 * The leaf is the account's, so a provider that also worked on the job sees its work's pay in it too.
 * `finalEpoch` null (no final epoch, or the chain unreadable): nothing is claimable, all of it accrues.
 */
export async function earningsByDataset(db: PrismaClient, provider: string, datasetIds: string[], finalEpoch: bigint | null = null): Promise<{ byDataset: Map<string, Earnings>; taskIds: string[] }> {
  const zero = (): Earnings => ({ paid: "0", pending: "0", claimable: "0", accruing: "0" });
  const byDataset = new Map<string, Earnings>(datasetIds.map((id) => [id, zero()]));
  if (datasetIds.length === 0) return { byDataset, taskIds: [] };
  const who = provider.toLowerCase();
  const rows = await db.$queryRaw<{ dataset_id: string; task_id: string; chain_id: number; paid: string; expected: string }[]>`
    SELECT j.dataset_id::text AS dataset_id, t.task_id::text AS task_id, t.chain_id,
      coalesce((SELECT sum(p.amount) FROM task_payouts p WHERE p.chain_id = t.chain_id AND p.task_id = t.task_id AND p.recipient = ${who} AND p.kind = 'fee'), 0)::text AS paid,
      floor(floor(t.fee * (SELECT count(*) FROM fragments f WHERE f.job_id = j.id AND f.status = 'accepted') / greatest(t.fragment_count, 1))
        * coalesce((j.spec->'dataset'->>'feeBps')::int, 0) / 10000)::text AS expected
    FROM jobs j JOIN tasks t ON t.chain_id = j.chain_id AND t.task_id = j.task_id
    WHERE j.dataset_id::text IN (${Prisma.join(datasetIds)}) AND lower(j.spec->'dataset'->>'provider') = ${who}`;
  // The fee leaves are cumulative: the latest posted epoch's leaf holds every earlier one's amount.
  const chainIds = [...new Set(rows.map((r) => r.chain_id))];
  const closes = new Map<number, { latest: Map<string, bigint>; final: Map<string, bigint> }>();
  for (const chainId of chainIds) {
    const latest = await db.epochClose.findFirst({ where: { chainId, status: "posted", feesTree: { not: Prisma.DbNull } }, orderBy: { epoch: "desc" }, select: { epoch: true, feesTree: true } });
    const final =
      finalEpoch === null || finalEpoch === 0n
        ? null
        : latest && latest.epoch <= finalEpoch
          ? latest
          : await db.epochClose.findFirst({ where: { chainId, status: "posted", epoch: { lte: finalEpoch }, feesTree: { not: Prisma.DbNull } }, orderBy: { epoch: "desc" }, select: { epoch: true, feesTree: true } });
    closes.set(chainId, { latest: providerLeaves(latest?.feesTree ?? null, who), final: providerLeaves(final?.feesTree ?? null, who) });
  }
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  for (const r of rows) {
    const e = byDataset.get(r.dataset_id)!;
    const leaves = closes.get(r.chain_id)!;
    const paid = BigInt(r.paid.split(".")[0]!);
    const expected = BigInt(r.expected.split(".")[0]!);
    const final = leaves.final.get(r.task_id) ?? 0n;
    const committed = max(leaves.latest.get(r.task_id) ?? 0n, final);
    const claimable = max(final - paid, 0n);
    const accruing = max(max(expected, committed) - max(final, paid), 0n);
    e.paid = (BigInt(e.paid) + paid).toString();
    e.claimable = (BigInt(e.claimable) + claimable).toString();
    e.accruing = (BigInt(e.accruing) + accruing).toString();
    e.pending = (BigInt(e.claimable) + BigInt(e.accruing)).toString();
  }
  return { byDataset, taskIds: [...new Set(rows.map((r) => r.task_id))].sort((a, b) => Number(BigInt(a) - BigInt(b))) };
}

/** A catalogue page: the entry, its description, schema, lineage, the jobs on it and its earnings. Unlisted ones too (old jobs link here). */
export async function getCatalogueDataset(db: PrismaClient, id: string, finalEpoch: bigint | null = null): Promise<CatalogueDetail> {
  const row = await db.dataset.findUnique({ where: { id } });
  if (!row || !isPublished(row)) throw notFound(`no published dataset ${id}`);
  const [[entry], versions, jobs, earnings] = await Promise.all([
    entriesFor(db, [id]),
    versionsOf(db, row),
    db.job.findMany({ where: { datasetId: id, status: { in: [...TRAINED] } }, orderBy: { createdAt: "desc" }, take: 50, select: { id: true, status: true, creator: true, createdAt: true } }),
    earningsByDataset(db, row.owner, [id], finalEpoch),
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
    earnings: earnings.byDataset.get(id)!,
  };
}

/** The provider's published datasets (listed or not) with their earnings, the total, and the tasks of the jobs on them. `finalEpoch`: see earningsByDataset. */
export async function providerEarnings(db: PrismaClient, provider: string, finalEpoch: bigint | null = null): Promise<ProviderEarnings> {
  const rows = (await db.dataset.findMany({ where: { owner: provider.toLowerCase(), publishedAt: { not: null } }, orderBy: { publishedAt: "desc" } })).filter(isPublished);
  const [entries, earnings] = await Promise.all([entriesFor(db, rows.map((r) => r.id)), earningsByDataset(db, provider, rows.map((r) => r.id), finalEpoch)]);
  const datasets = entries.map((e) => ({ id: e.id, title: e.title, listed: e.listed, feeBps: e.feeBps, jobsTrained: e.jobsTrained, earnings: earnings.byDataset.get(e.id)! }));
  const sum = (k: keyof Earnings) => datasets.reduce((s, d) => s + BigInt(d.earnings[k]), 0n).toString();
  return {
    provider: provider.toLowerCase(),
    finalEpoch: finalEpoch === null || finalEpoch === 0n ? null : Number(finalEpoch),
    total: { paid: sum("paid"), pending: sum("pending"), claimable: sum("claimable"), accruing: sum("accruing") },
    taskIds: earnings.taskIds,
    datasets,
  };
}
