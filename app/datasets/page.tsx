import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Select } from "@/components/ui/input";
import { catalogueLicenses, catalogueQuerySchema, listCatalogue } from "@/lib/datasets";
import { prisma } from "@/lib/db";
import { CatalogueTable } from "./_components/catalogue-table";

export const metadata: Metadata = { title: "Datasets" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 20;

/** The query as the catalogue reads it; a hand-edited, malformed one falls back to the defaults. */
function readQuery(raw: Record<string, string | string[] | undefined>) {
  const flat = Object.fromEntries(Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" && v !== "" && k !== "scope" ? [[k, v]] : [])));
  const parsed = catalogueQuerySchema.safeParse({ ...flat, limit: PAGE_SIZE });
  return parsed.success ? parsed.data : catalogueQuerySchema.parse({ limit: PAGE_SIZE });
}

export default async function DatasetsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = readQuery(await searchParams);
  const [{ datasets, total }, licenses] = await Promise.all([listCatalogue(prisma, q), catalogueLicenses(prisma)]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const link = (page: number) => {
    const params = new URLSearchParams(Object.entries({ q: q.q, kind: q.kind, license: q.license, sort: q.sort === "newest" ? undefined : q.sort, page: page > 1 ? String(page) : undefined }).flatMap(([k, v]) => (v ? [[k, v]] : [])));
    return `/datasets${params.size ? `?${params}` : ""}`;
  };
  const filtered = Boolean(q.q || q.kind || q.license);
  return (
    <>
      <PageHeader title="Datasets">
        Datasets their providers published for anyone to train on. Each is fixed by its content hash; its provider receives the
        fee share shown of every job that trains on it, paid with the nodes from the job&apos;s escrow.
      </PageHeader>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3 text-sm">
        <form role="search" aria-label="Search the datasets" className="flex flex-wrap items-end gap-3" action="/datasets">
          <label className="block">
            <span className="text-muted">Title</span>
            <Input compact type="search" name="q" defaultValue={q.q ?? ""} placeholder="Search titles" className="w-48" />
          </label>
          <label className="block">
            <span className="text-muted">Kind</span>
            <Select compact name="kind" defaultValue={q.kind ?? ""}>
              <option value="">Any</option>
              <option value="table">Table (classifier)</option>
              <option value="text">Text (language model)</option>
            </Select>
          </label>
          <label className="block">
            <span className="text-muted">Licence</span>
            <Select compact name="license" defaultValue={q.license ?? ""}>
              <option value="">Any</option>
              {licenses.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </Select>
          </label>
          <label className="block">
            <span className="text-muted">Sort</span>
            <Select compact name="sort" defaultValue={q.sort}>
              <option value="newest">Newest</option>
              <option value="jobs">Most jobs trained</option>
            </Select>
          </label>
          <button type="submit" className="rounded border border-line-strong px-3 py-1">
            Apply
          </button>
        </form>
        <div className="flex gap-3">
          <Link href="/datasets/earnings" className="rounded border border-line-strong px-3 py-1.5">
            My earnings
          </Link>
          <Link href="/datasets/publish" className="rounded bg-accent-solid px-3 py-1.5 font-medium text-on-accent">
            Publish a dataset
          </Link>
        </div>
      </div>
      {total === 0 ? (
        <EmptyState title={filtered ? "No dataset matches" : "No dataset published yet"}>
          {filtered ? (
            <Link href="/datasets" className="prose-link">
              Clear the filters
            </Link>
          ) : (
            <>
              Upload a CSV or a .txt and publish it with a licence and a fee share:{" "}
              <Link href="/datasets/publish" className="prose-link">
                Publish a dataset
              </Link>
              .
            </>
          )}
        </EmptyState>
      ) : (
        <>
          <CatalogueTable datasets={datasets} />
          <nav aria-label="Dataset pages" className="mt-4 flex items-center justify-between text-sm">
            {q.page > 1 ? (
              <Link className="prose-link" href={link(q.page - 1)}>
                ← Previous
              </Link>
            ) : (
              <span />
            )}
            <span className="text-muted">
              Page {Math.min(q.page, pages)} of {pages} · {total} dataset{total === 1 ? "" : "s"}
            </span>
            {q.page < pages ? (
              <Link className="prose-link" href={link(q.page + 1)}>
                Next →
              </Link>
            ) : (
              <span />
            )}
          </nav>
        </>
      )}
    </>
  );
}
