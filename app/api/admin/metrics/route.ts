import { noStore, otherMethods, route } from "@/lib/api";
import { adminMetrics } from "@/lib/admin";
import { requireAdmin } from "@/lib/auth";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

/** The admin page's figures and series: 401 without a session, 403 for a wallet not on ADMIN_ADDRESSES. */
export const GET = route(async (request) => {
  const env = serverEnv();
  await requireAdmin(prisma, request, env.ADMIN_ADDRESSES);
  return Response.json(await adminMetrics(prisma, env.CHAIN_ID), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
