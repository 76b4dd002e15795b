import { noStore, otherMethods, parseJson, route } from "@/lib/api";
import { listSessionKeys, registerSessionKey, requireSession, sessionKeyRequestSchema } from "@/lib/auth";
import { serverPublicClient } from "@/lib/chain";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const s = await requireSession(prisma, request);
  return Response.json({ sessionKeys: await listSessionKeys(prisma, s.address) }, { headers: noStore });
});

export const POST = route(async (request) => {
  const s = await requireSession(prisma, request);
  const body = await parseJson(request, sessionKeyRequestSchema, 4 * 1024);
  const key = await registerSessionKey({ db: prisma, client: serverPublicClient(), chainId: serverEnv().CHAIN_ID }, s.address, body);
  return Response.json(key, { status: 201, headers: noStore });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
