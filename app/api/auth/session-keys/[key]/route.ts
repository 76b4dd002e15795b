import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { requireSession, revokeSessionKey } from "@/lib/auth";
import { sessionKeyParamsSchema } from "@/lib/auth";
import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

export const DELETE = route<{ params: Promise<{ key: string }> }>(async (request, { params }) => {
  const s = await requireSession(prisma, request);
  const { key } = parseParams(await params, sessionKeyParamsSchema);
  await revokeSessionKey(prisma, s.address, key);
  return new Response(null, { status: 204, headers: noStore });
});

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
