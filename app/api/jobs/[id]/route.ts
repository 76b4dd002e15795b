import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { prisma } from "@/lib/db";
import { getJob, jobParamsSchema } from "@/lib/jobs";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = parseParams(await params, jobParamsSchema);
  return Response.json(await getJob(prisma, id), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
