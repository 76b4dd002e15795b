import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { prisma } from "@/lib/db";
import { accountParamsSchema, epochReader, getClaimable } from "@/lib/epochs";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ account: string }> }>(async (_request, { params }) => {
  const { account } = parseParams(await params, accountParamsSchema);
  return Response.json(await getClaimable(prisma, await epochReader(), account), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
