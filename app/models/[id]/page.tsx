import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { Figure } from "@/components/ui/figure";
import { Section } from "@/components/ui/section";
import { ApiError } from "@/lib/api";
import { getModel, modelsCtx, formatBytes, type ModelView } from "@/lib/models";
import { LazyTryIt } from "./_components/lazy-try-it";

export const metadata: Metadata = { title: "Model" };
export const dynamic = "force-dynamic";

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(2)}%`);
const num = (v: number | null) => (v === null ? "—" : v.toFixed(4));

function Lineage({ model }: { model: ModelView }) {
  const l = model.lineage;
  if (l.kind === "upload") {
    return (
      <p className="mt-3 text-sm" data-testid="lineage">
        Uploaded by <span className="break-all font-mono text-xs">{l.uploadedBy}</span> ({l.fileName}). No training proof comes with an upload.
      </p>
    );
  }
  const language = model.kind === "gpt";
  return (
    <div className="mt-3 space-y-3 text-sm" data-testid="lineage">
      <p>
        The final weights of job{" "}
        <Link href={`/jobs/${l.jobId}`} className="prose-link font-mono">
          {l.jobId.slice(0, 8)}
        </Link>{" "}
        on <strong>{l.dataset}</strong>, after {l.metrics.rounds} aggregated rounds. Their sha-256 is where the job&apos;s{" "}
        <Link href={`/jobs/${l.jobId}#proof`} className="prose-link">
          proof of training
        </Link>{" "}
        ends (<a className="prose-link" href={`/api/jobs/${l.jobId}/proof`}>proof JSON</a>; re-check it with{" "}
        <code className="break-all">npm run verify-proof -- --job {l.jobId} --all</code>).
      </p>
      <p className="text-muted">
        Proof root <span className="break-all font-mono text-xs">{l.proofRoot}</span>
        {l.completeTx ? (
          <>
            {" "}
            · completed on chain in <span className="break-all font-mono text-xs">{l.completeTx}</span>
          </>
        ) : null}
      </p>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure label="Train loss" value={num(l.metrics.trainLoss)} />
        <Figure label={language ? "Validation loss (nats/char)" : "Held-out loss"} value={num(l.metrics.heldOutLoss)} />
        {language ? null : <Figure label="Held-out accuracy" value={pct(l.metrics.heldOutAccuracy)} testId="held-out-accuracy" />}
        <Figure label="Rounds" value={l.metrics.rounds} />
      </dl>
    </div>
  );
}

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const model = await getModel(modelsCtx(), id).catch((e) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
  if (!model) notFound();
  return (
    <div className="space-y-8">
      <PageHeader title={model.name}>
        {model.architecture} · {model.description}
      </PageHeader>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure label="Kind" value={model.kind === "gpt" ? "language model" : "classifier"} />
        <Figure label="Parameters" value={model.parameters.toLocaleString("en")} testId="parameters" />
        <Figure label="Size" value={formatBytes(model.sizeBytes)} />
        <Figure label="Source" value={model.source === "job" ? "training job" : "upload"} />
      </dl>
      <Section id="try-it" title="Try it" className="space-y-3">
        <LazyTryIt modelId={model.id} sha256={model.sha256} sizeBytes={model.sizeBytes} config={model.config} />
      </Section>
      {model.kind === "mlp" ? (
        <Section id="inference" title="Batch inference" className="space-y-3">
          <p className="text-sm text-muted">Classify a whole dataset on the network: every row computed by the nodes, replicated and verified.</p>
          <Link className="inline-block rounded border border-line-strong px-3 py-1.5 text-sm" href={`/jobs/new?model=${model.id}`} data-testid="run-inference">
            Run inference
          </Link>
        </Section>
      ) : null}
      <Section id="lineage" title="Lineage">
        <Lineage model={model} />
      </Section>
      <Section id="downloads" title="Downloads" className="space-y-3">
        <div className="flex flex-wrap gap-3 text-sm">
          <a className="rounded bg-accent-solid px-3 py-1.5 font-medium text-on-accent" href={model.links.weights} download={`corex-model-${model.id}.safetensors`}>
            Weights (.safetensors)
          </a>
          <a className="rounded border border-line-strong px-3 py-1.5" href={model.links.card} download={`corex-model-${model.id}.model-card.json`}>
            Model card (JSON)
          </a>
        </div>
        <p className="text-sm text-muted">
          Content hash (sha-256 of the file) <span className="break-all font-mono text-xs">{model.sha256}</span>
        </p>
      </Section>
      <Section id="config" title="Config" className="space-y-3">
        <details className="text-sm">
          <summary className="cursor-pointer text-muted">The config the file was checked against (JSON)</summary>
          <pre className="mt-2 max-h-80 overflow-auto rounded bg-surface p-3 text-xs" tabIndex={0}>
            {JSON.stringify(model.config, (k, v) => (Array.isArray(v) && v.length > 32 && typeof v[0] === "number" ? `[${v.length} numbers]` : v), 2)}
          </pre>
        </details>
      </Section>
    </div>
  );
}
