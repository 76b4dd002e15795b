import { noStore, otherMethods, parseJson, parseParams, route } from "@/lib/api";
import { heartbeatRequestSchema, slotParamsSchema } from "@/lib/protocol";
import { heartbeat, schedulerCtx } from "@/lib/scheduler";
import { throttles } from "@/lib/auth";

export const dynamic = "force-dynamic";

export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const { id } = parseParams(await params, slotParamsSchema);
  const body = await parseJson(request, heartbeatRequestSchema, 1024);
  return Response.json(await heartbeat(schedulerCtx(), request, id, body), { headers: noStore });
}, { failures: throttles.workerRefusals });

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
