import { noStore, otherMethods, parseJson, parseParams, route } from "@/lib/api";
import { requireSession } from "@/lib/auth";
import { blobStore } from "@/lib/blobs";
import { prisma } from "@/lib/db";
import { discardJob, getJob, jobParamsSchema, repriceJob, repriceJobSchema } from "@/lib/jobs";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (_request, { params }) => {
  const { id } = parseParams(await params, jobParamsSchema);
  return Response.json(await getJob(prisma, id), { headers: noStore });
});

// The creator re-prices a job stuck before its chain task (its fee was above the wallet's balance).
export const PATCH = route<Ctx>(async (request, { params }) => {
  const { id } = parseParams(await params, jobParamsSchema);
  const s = await requireSession(prisma, request);
  const { fee } = await parseJson(request, repriceJobSchema, 1024);
  return Response.json(await repriceJob({ db: prisma, store: blobStore() }, s.address, id, fee), { headers: noStore });
});

// …or discards it: it expires at once and its shards go.
export const DELETE = route<Ctx>(async (request, { params }) => {
  const { id } = parseParams(await params, jobParamsSchema);
  const s = await requireSession(prisma, request);
  return Response.json(await discardJob({ db: prisma, store: blobStore() }, s.address, id), { headers: noStore });
});

export const { POST, PUT } = otherMethods("GET", "PATCH", "DELETE");
