import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Section } from "@/components/ui/section";
import { Skeleton } from "@/components/ui/skeleton";
import { WalletBoundary } from "@/components/wallet";
import { serverEnv } from "@/lib/env";
import { listModels, modelsCtx } from "@/lib/models";
import { ModelTable } from "./_components/model-table";
import { UploadModelForm } from "./_components/upload-model-form";

export const metadata: Metadata = { title: "Models" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 20;
// A malformed query (hand-edited URL) falls back to the first page rather than failing.
const querySchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

export default async function ModelsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = querySchema.parse(await searchParams);
  const { models, total } = await listModels(modelsCtx(), { page: q.page, limit: PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <>
      <PageHeader title="Models">
        Every completed training job publishes its final weights here, with the proof chain they came from; anyone signed
        in can upload a model too (<code>POST /api/models</code>: a safetensors file and its JSON config). Open one to read
        its card, download it, or try it in this browser.
      </PageHeader>
      <Section id="upload" title="Upload a model" className="mb-6 space-y-3">
        <WalletBoundary fallback={<Skeleton className="h-24" />}>
          <UploadModelForm maxBytes={serverEnv().MAX_MODEL_UPLOAD_BYTES} />
        </WalletBoundary>
      </Section>
      {total === 0 ? (
        <EmptyState title="No model yet">
          A job&apos;s model appears here as soon as the job completes on chain. Create one from{" "}
          <Link href="/jobs/new" className="prose-link">
            New job
          </Link>
          .
        </EmptyState>
      ) : (
        <>
          <ModelTable models={models} />
          <nav aria-label="Model pages" className="mt-4 flex items-center justify-between text-sm">
            {q.page > 1 ? (
              <Link className="prose-link" href={`/models?page=${q.page - 1}`}>
                ← Newer
              </Link>
            ) : (
              <span />
            )}
            <span className="text-muted">
              Page {Math.min(q.page, pages)} of {pages} · {total} model{total === 1 ? "" : "s"}
            </span>
            {q.page < pages ? (
              <Link className="prose-link" href={`/models?page=${q.page + 1}`}>
                Older →
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
