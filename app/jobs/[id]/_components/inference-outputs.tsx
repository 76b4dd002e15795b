import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

type Preview = { header: string[]; rows: string[][]; accepted: number; total: number; complete: boolean; format: "csv" | "jsonl" };

/**
 * An inference job's result: how many rows are in, the first few, and the download (partial while the job
 * runs): a classifier's CSV, or a language model's JSON Lines of prompts and continuations.
 */
export function InferenceOutputs({ jobId, modelId, preview }: { jobId: string; modelId: string; preview: Preview }) {
  const { header, rows, accepted, total, complete, format } = preview;
  const text = format === "jsonl";
  return (
    <div className="space-y-3 text-sm" data-testid="inference-outputs">
      <p>
        {accepted.toLocaleString("en")} of {total.toLocaleString("en")} {text ? "prompts continued" : "rows classified"} and verified{complete ? "" : " so far"} · model{" "}
        <Link className="underline" href={`/models/${modelId}`}>
          {modelId.slice(0, 8)}
        </Link>
      </p>
      {rows.length === 0 ? (
        <EmptyState>The first rows appear here as soon as a fragment is accepted.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full font-mono text-xs" data-testid="outputs-preview">
            <thead>
              <tr>
                {header.map((h) => (
                  <th key={h} className="px-2 py-1 text-left font-medium">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r[0]} className="border-t border-line">
                  {r.map((v, i) => (
                    <td key={i} className={text ? "whitespace-pre-wrap px-2 py-1" : "px-2 py-1"}>{text || i < 2 ? v : Number(v).toFixed(4)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <a className="inline-block rounded bg-accent-solid px-3 py-1.5 font-medium text-on-accent" href={`/api/jobs/${jobId}/outputs`} download={`corex-${jobId}-outputs.${format}`}>
        Download outputs (.{format}{complete ? "" : `, accepted ${text ? "prompts" : "rows"} so far`})
      </a>
    </div>
  );
}
