import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { requireSession } from "@/lib/auth";
import { datasetParamsSchema, unlistDataset } from "@/lib/datasets";
import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

/** The provider unlists a dataset: out of the catalogue, refused to new jobs; jobs on it train on. */
export const DELETE = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const { id } = parseParams(await params, datasetParamsSchema);
  const s = await requireSession(prisma, request);
  return Response.json(await unlistDataset(prisma, s.address, id), { headers: noStore });
});

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
