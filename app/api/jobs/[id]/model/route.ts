import { otherMethods, parseParams, route } from "@/lib/api";
import { jobParamsSchema } from "@/lib/jobs";
import { jobModel, schedulerCtx } from "@/lib/scheduler";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = parseParams(await params, jobParamsSchema);
  const bytes = await jobModel(schedulerCtx(), id);
  return new Response(bytes as BodyInit, {
    headers: { "content-type": "application/octet-stream", "content-disposition": `attachment; filename="corex-${id}.safetensors"`, "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
