import { noStore, otherMethods, parseJson, route } from "@/lib/api";
import { claimRequestSchema } from "@/lib/protocol";
import { claim, schedulerCtx } from "@/lib/scheduler";
import { throttles } from "@/lib/auth";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  const body = await parseJson(request, claimRequestSchema, 1024);
  return Response.json({ slots: await claim(schedulerCtx(), request, body) }, { headers: noStore });
}, { failures: throttles.workerRefusals });

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
