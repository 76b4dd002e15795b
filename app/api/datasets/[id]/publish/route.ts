import { noStore, otherMethods, parseJson, parseParams, route } from "@/lib/api";
import { requireSession } from "@/lib/auth";
import { blobStore } from "@/lib/blobs";
import { datasetParamsSchema, publishDatasetSchema, publishDataset } from "@/lib/datasets";
import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

/** The uploader publishes an upload: title, Markdown description, SPDX licence, fee share. Refused fields change nothing. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const { id } = parseParams(await params, datasetParamsSchema);
  const s = await requireSession(prisma, request);
  // 20 KB of description, each byte at most six when JSON-escaped, and the other fields.
  const input = await parseJson(request, publishDatasetSchema, 128 * 1024);
  return Response.json(await publishDataset({ db: prisma, store: blobStore() }, s.address, id, input), { status: 201, headers: noStore });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
