import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { datasetParamsSchema, getCatalogueDataset } from "@/lib/datasets";
import { prisma } from "@/lib/db";
import { readLatestFinalEpoch } from "@/lib/epochs";

export const dynamic = "force-dynamic";

/** A published dataset's catalogue entry (unlisted ones too: the jobs that trained on them link here). */
export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = parseParams(await params, datasetParamsSchema);
  return Response.json(await getCatalogueDataset(prisma, id, await readLatestFinalEpoch()), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
