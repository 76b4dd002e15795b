import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { appOrigin } from "@/lib/auth";
import { jobParamsSchema } from "@/lib/jobs";
import { jobModelCard, schedulerCtx } from "@/lib/scheduler";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const { id } = parseParams(await params, jobParamsSchema);
  return Response.json(await jobModelCard(schedulerCtx(), id, appOrigin(request)), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
