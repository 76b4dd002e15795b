import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { credentialParamsSchema, getCredentialProof } from "@/lib/epochs";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = parseParams(await params, credentialParamsSchema);
  return Response.json(await getCredentialProof(prisma, serverEnv().CHAIN_ID, id), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
