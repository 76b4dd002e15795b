import { noStore, otherMethods, route } from "@/lib/api";
import { requireSession } from "@/lib/auth";
import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const s = await requireSession(prisma, request);
  return Response.json({ address: s.address, expiresAt: s.expiresAt.toISOString() }, { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
