import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { throttles } from "@/lib/auth";
import { prisma } from "@/lib/db";
import { resultStatusQuerySchema } from "@/lib/protocol";
import { resultStatuses } from "@/lib/scheduler";

export const dynamic = "force-dynamic";

// The /worker tab polls it for its pending results: anonymous, one indexed read, capped per client.
export const GET = route(async (request) => {
  const { ids } = parseParams(Object.fromEntries(new URL(request.url).searchParams), resultStatusQuerySchema, "query");
  return Response.json(await resultStatuses(prisma, ids.split(",")), { headers: noStore });
}, { requests: throttles.publicList });

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
