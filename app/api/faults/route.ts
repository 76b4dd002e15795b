import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { faultListQuerySchema, listFaults } from "@/lib/epochs";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const query = parseParams(Object.fromEntries(new URL(request.url).searchParams), faultListQuerySchema, "query");
  return Response.json(await listFaults(prisma, serverEnv().CHAIN_ID, query), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
