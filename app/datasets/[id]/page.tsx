import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { Figure } from "@/components/ui/figure";
import { Section } from "@/components/ui/section";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { ApiError } from "@/lib/api";
import { findSession, pageSessionToken } from "@/lib/auth";
import { getCatalogueDataset, type CatalogueDetail } from "@/lib/datasets";
import { prisma } from "@/lib/db";
import { readLatestFinalEpoch } from "@/lib/epochs";
import { formatCxtWithUnit, formatPercent, shortHex } from "@/lib/format";
import { formatShape, formatShare } from "../_components/format";
import { Markdown } from "../_components/markdown";
import { UnlistButton } from "./_components/unlist-button";

export const metadata: Metadata = { title: "Dataset" };
export const dynamic = "force-dynamic";

const stat = (v: number | null) => (v === null ? "—" : Number(v.toPrecision(6)).toLocaleString("en", { maximumFractionDigits: 6 }));

function Schema({ d }: { d: CatalogueDetail }) {
  const p = d.profile;
  if (p.kind === "text") {
    return (
      <div className="mt-3 space-y-2 text-sm" data-testid="schema">
        <p>
          {p.characters.toLocaleString("en")} characters in {p.examples.toLocaleString("en")} examples; {p.characterSet.length} distinct characters:
        </p>
        <p className="break-all rounded bg-surface p-3 font-mono text-xs">{p.characterSet.map((c) => (c === " " ? "␠" : c)).join(" ")}</p>
      </div>
    );
  }
  return (
    <div className="mt-3" data-testid="schema">
      <TableScroll label="Columns">
        <Table>
          <caption className="sr-only">Columns</caption>
          <THead>
            <tr>
              <Th>Column</Th>
              <Th>Type</Th>
              <Th numeric>Min</Th>
              <Th numeric>Max</Th>
              <Th numeric>Mean</Th>
              <Th numeric>Missing</Th>
            </tr>
          </THead>
          <tbody>
            {p.columns.map((c) => (
              <Tr key={c.name}>
                <Td className="font-mono text-xs">{c.name}</Td>
                <Td>{c.type === "label" ? `label (${c.classes} classes)` : c.type}</Td>
                <Td numeric>{stat(c.min)}</Td>
                <Td numeric>{stat(c.max)}</Td>
                <Td numeric>{stat(c.mean)}</Td>
                <Td numeric>{c.missing.toLocaleString("en")}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </TableScroll>
    </div>
  );
}

function Preview({ d }: { d: CatalogueDetail }) {
  const p = d.profile;
  if (p.kind === "text") {
    return (
      <pre className="mt-3 max-h-72 overflow-auto whitespace-pre-wrap rounded bg-surface p-3 text-xs" tabIndex={0} data-testid="preview">
        {p.preview.join("\n")}
      </pre>
    );
  }
  return (
    <div className="mt-3" data-testid="preview">
      <TableScroll label="First rows">
        <Table>
          <caption className="sr-only">First rows</caption>
          <THead>
            <tr>
              {p.preview.header.map((h) => (
                <Th key={h}>{h}</Th>
              ))}
            </tr>
          </THead>
          <tbody>
            {p.preview.rows.map((r, i) => (
              <Tr key={i}>
                {r.map((c, j) => (
                  <Td key={j} className="font-mono text-xs">
                    {c}
                  </Td>
                ))}
              </Tr>
            ))}
          </tbody>
        </Table>
      </TableScroll>
    </div>
  );
}

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const d = await getCatalogueDataset(prisma, id, await readLatestFinalEpoch()).catch((e) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
  if (!d) notFound();
  const session = await findSession(prisma, await pageSessionToken());
  const isProvider = session?.address.toLowerCase() === d.provider;
  return (
    <div className="space-y-8">
      <PageHeader title={d.title}>
        {d.kind === "text" ? "Text for language models" : "A table for classifiers"} · published by{" "}
        <span className="font-mono text-xs" title={d.provider}>
          {shortHex(d.provider)}
        </span>{" "}
        on <time dateTime={d.publishedAt}>{d.publishedAt.slice(0, 10)}</time>
        {d.listed ? null : <strong className="ml-2 text-warn">· unlisted: new jobs cannot choose it</strong>}
      </PageHeader>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure label="Licence" value={d.license} testId="license" />
        <Figure label="Provider's fee share" value={formatShare(d.feeBps)} testId="fee-share" />
        <Figure label="Size" value={formatShape(d)} />
        <Figure label="Jobs trained" value={d.jobsTrained.toLocaleString("en")} testId="jobs-trained" />
      </dl>
      <div className="flex flex-wrap items-start gap-3">
        {d.listed ? (
          <Link href={`/jobs/new?dataset=${d.id}`} className="rounded bg-accent-solid px-3 py-1.5 text-sm font-medium text-on-accent" data-testid="train-on-it">
            Train a model on it
          </Link>
        ) : null}
        {isProvider && d.listed ? <UnlistButton id={d.id} /> : null}
        {isProvider ? (
          <Link href={`/datasets/publish?supersedes=${d.id}`} className="rounded border border-line-strong px-3 py-1.5 text-sm">
            Publish a new version
          </Link>
        ) : null}
      </div>
      <Section id="description" title="Description" className="space-y-3">
        {d.description.trim() ? <Markdown>{d.description}</Markdown> : <p className="text-sm text-muted">No description.</p>}
      </Section>
      <Section id="schema" title="Schema">
        <Schema d={d} />
      </Section>
      <Section id="preview" title={d.kind === "text" ? "First examples" : "First rows"}>
        <Preview d={d} />
      </Section>
      <Section id="earnings" title="Provider earnings" className="space-y-3">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Figure label="Paid" value={formatCxtWithUnit(d.earnings.paid)} testId="earnings-paid" />
          <Figure label="Claimable" value={formatCxtWithUnit(d.earnings.claimable)} testId="earnings-claimable" />
          <Figure label="Accruing" value={formatCxtWithUnit(d.earnings.accruing)} testId="earnings-accruing" />
        </dl>
        <p className="text-xs text-muted">
          {formatShare(d.feeBps)} of the fee each job pays for accepted work, from the chain mirror. Claimable: in a final epoch&apos;s fee leaves,
          not yet paid. Accruing: accepted work not yet in a final epoch (exact once its epoch is posted).
        </p>
      </Section>
      <Section id="versions" title="Versions" className="space-y-3">
        <ol className="space-y-1 text-sm" data-testid="versions">
          {d.versions.map((v, i) => (
            <li key={v.id}>
              v{i + 1}{" "}
              {v.id === d.id ? (
                <strong>{v.title} (this one)</strong>
              ) : (
                <Link href={`/datasets/${v.id}`} className="prose-link">
                  {v.title}
                </Link>
              )}{" "}
              <span className="text-muted">
                · <time dateTime={v.publishedAt}>{v.publishedAt.slice(0, 10)}</time>
                {v.listed ? "" : " · unlisted"}
              </span>
            </li>
          ))}
        </ol>
        <p className="text-xs text-muted">
          Content hash (sha-256 of the dataset blob, named by every job spec on it) <span className="break-all font-mono">{d.sha256}</span>
        </p>
      </Section>
      <Section id="jobs" title="Jobs trained on it" className="space-y-3">
        {d.jobs.length === 0 ? (
          <p className="text-sm text-muted">No job has trained on it yet.</p>
        ) : (
          <TableScroll label="Jobs trained on it">
            <Table>
              <caption className="sr-only">Jobs trained on it</caption>
              <THead>
                <tr>
                  <Th>Job</Th>
                  <Th>Status</Th>
                  <Th numeric>Rounds</Th>
                  <Th numeric>{d.kind === "text" ? "Validation loss" : "Held-out accuracy"}</Th>
                  <Th>Created</Th>
                </tr>
              </THead>
              <tbody>
                {d.jobs.map((j) => (
                  <Tr key={j.id} data-job={j.id}>
                    <Td>
                      <Link href={`/jobs/${j.id}`} className="prose-link font-mono text-xs">
                        {j.id.slice(0, 8)}
                      </Link>
                    </Td>
                    <Td>{j.status}</Td>
                    <Td numeric>{j.rounds}</Td>
                    <Td numeric>{d.kind === "text" ? stat(j.heldOutLoss) : j.heldOutAccuracy === null ? "—" : formatPercent(j.heldOutAccuracy)}</Td>
                    <Td>
                      <time dateTime={j.createdAt}>{j.createdAt.slice(0, 16).replace("T", " ")}</time>
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </TableScroll>
        )}
      </Section>
    </div>
  );
}
