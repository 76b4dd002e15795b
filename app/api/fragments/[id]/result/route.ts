import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { slotParamsSchema } from "@/lib/protocol";
import { schedulerCtx, submitResult } from "@/lib/scheduler";
import { throttles } from "@/lib/auth";

export const dynamic = "force-dynamic";

export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const { id } = parseParams(await params, slotParamsSchema);
  const receipt = await submitResult(schedulerCtx(), request, id);
  return Response.json(receipt, { status: receipt.duplicate ? 200 : 201, headers: noStore });
}, { failures: throttles.workerRefusals });

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
