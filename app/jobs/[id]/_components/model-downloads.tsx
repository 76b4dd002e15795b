import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

/** The trained model (safetensors) and its model card, once the last round is aggregated. */
export function ModelDownloads({ jobId, finalWeightsSha256, completeTx, registryId = null }: { jobId: string; finalWeightsSha256: string | null; completeTx: string | null; registryId?: string | null }) {
  if (!finalWeightsSha256) return <EmptyState>The model can be downloaded here once the last round is aggregated.</EmptyState>;
  return (
    <div className="space-y-2 text-sm">
      <div className="flex flex-wrap gap-3">
        <a className="rounded bg-accent-solid px-3 py-1.5 font-medium text-on-accent" href={`/api/jobs/${jobId}/model`} download={`corex-${jobId}.safetensors`}>
          Download model (.safetensors)
        </a>
        <a className="rounded border border-line-strong px-3 py-1.5" href={`/api/jobs/${jobId}/model-card`} download={`corex-${jobId}.model-card.json`}>
          Model card (JSON)
        </a>
        <a className="rounded border border-line-strong px-3 py-1.5" href={`/api/jobs/${jobId}/proof`}>
          Proof (JSON)
        </a>
        {registryId ? (
          <Link className="rounded border border-line-strong px-3 py-1.5" href={`/models/${registryId}`}>
            In the model registry (try it)
          </Link>
        ) : null}
      </div>
      <p className="text-muted">
        Final weights sha-256 <span className="break-all font-mono text-xs">{finalWeightsSha256}</span>
        {completeTx ? (
          <>
            {" "}
            · completed on chain in <span className="break-all font-mono text-xs">{completeTx}</span>
          </>
        ) : null}
      </p>
    </div>
  );
}
