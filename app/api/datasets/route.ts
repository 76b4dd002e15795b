import { clientIp, noStore, otherMethods, parseParams, route } from "@/lib/api";
import { findSession, hitRateLimit, rateRules, requireSession, sessionToken } from "@/lib/auth";
import { blobStore } from "@/lib/blobs";
import { catalogueQuerySchema, listCatalogue, listDatasets, uploadDataset } from "@/lib/datasets";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

/** The catalogue of published datasets (paged, filtered); `scope=mine`: the built-ins plus the caller's uploads. */
export const GET = route(async (request) => {
  const query = parseParams(Object.fromEntries(new URL(request.url).searchParams), catalogueQuerySchema, "query");
  if (query.scope === "mine") {
    const session = await findSession(prisma, sessionToken(request));
    return Response.json({ datasets: await listDatasets(prisma, blobStore(), session?.address ?? null) }, { headers: noStore });
  }
  return Response.json(await listCatalogue(prisma, query), { headers: noStore });
});

export const POST = route(async (request) => {
  const s = await requireSession(prisma, request);
  await hitRateLimit(prisma, rateRules.upload, [`ip:${clientIp(request)}`, `address:${s.address.toLowerCase()}`]);
  const env = serverEnv();
  // Parsed in a worker thread and validated in full before anything is stored: a refused file leaves no blob and no row.
  const dataset = await uploadDataset(prisma, blobStore(), s.address, request, {
    maxBytes: env.MAX_UPLOAD_BYTES,
    concurrency: env.UPLOAD_PARSE_CONCURRENCY,
    timeoutSeconds: env.UPLOAD_TIMEOUT_SECONDS,
  });
  return Response.json(dataset, { status: 201, headers: noStore });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
