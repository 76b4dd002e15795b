import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { prisma } from "@/lib/db";
import { getJobFees } from "@/lib/epochs";
import { jobParamsSchema } from "@/lib/jobs";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = parseParams(await params, jobParamsSchema);
  return Response.json(await getJobFees(prisma, id), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
