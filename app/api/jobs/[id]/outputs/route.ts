import { otherMethods, parseParams, route } from "@/lib/api";
import { jobParamsSchema } from "@/lib/jobs";
import { jobOutputs, schedulerCtx } from "@/lib/scheduler";

export const dynamic = "force-dynamic";

// Streams the output fragment by fragment (CSV for a classifier, JSON Lines for a language model): a
// 20,000-row job is never held as one string.
export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = parseParams(await params, jobParamsSchema);
  const out = await jobOutputs(schedulerCtx(), id);
  return new Response(out.body, {
    headers: {
      "content-type": out.format === "jsonl" ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="corex-${id}-outputs.${out.format}"`,
      "cache-control": "no-store",
      "x-corex-rows": String(out.rows),
      "x-corex-total-rows": String(out.totalRows),
      "x-corex-complete": String(out.complete),
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
