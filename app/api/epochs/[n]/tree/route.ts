import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { prisma } from "@/lib/db";
import { epochParamsSchema, epochReader, getEpochTree } from "@/lib/epochs";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ n: string }> }>(async (_request, { params }) => {
  const { n } = parseParams(await params, epochParamsSchema);
  const chain = await epochReader();
  return Response.json(await getEpochTree(prisma, chain.chainId, chain.addresses.ledger, BigInt(n)), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
