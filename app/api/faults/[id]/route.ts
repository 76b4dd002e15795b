import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { prisma } from "@/lib/db";
import { faultParamsSchema, getFault } from "@/lib/epochs";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = parseParams(await params, faultParamsSchema);
  return Response.json(await getFault(prisma, id), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
