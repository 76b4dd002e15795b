import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { requireAdmin } from "@/lib/auth";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { failJob, jobParamsSchema } from "@/lib/jobs";

export const dynamic = "force-dynamic";

export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  await requireAdmin(prisma, request, serverEnv().ADMIN_ADDRESSES);
  const { id } = parseParams(await params, jobParamsSchema);
  return Response.json(await failJob(prisma, id), { headers: noStore });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
