import { noStore, notFound, otherMethods, parseParams, route } from "@/lib/api";
import { requireSession } from "@/lib/auth";
import { uploadParamsSchema, uploadStatus } from "@/lib/datasets";
import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

/** Where the caller's upload named `id` (header x-upload-id) stands: bytes and rows parsed, phase. */
export const GET = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const s = await requireSession(prisma, request);
  const { id } = parseParams(await params, uploadParamsSchema);
  const status = uploadStatus(s.address, id);
  if (!status) throw notFound(`no upload "${id}" of yours on this server (finished ones are kept 5 minutes)`);
  return Response.json(status, { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
