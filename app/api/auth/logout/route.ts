import { noStore, otherMethods, route } from "@/lib/api";
import { clearedSessionCookies, cookieMode, endSession, withCookies } from "@/lib/auth";
import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  await endSession(prisma, request);
  return new Response(null, { status: 204, headers: withCookies(noStore, clearedSessionCookies(cookieMode(request))) });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
