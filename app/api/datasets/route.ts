import { clientIp, noStore, otherMethods, route } from "@/lib/api";
import { findSession, hitRateLimit, rateRules, requireSession, sessionToken } from "@/lib/auth";
import { blobStore } from "@/lib/blobs";
import { listDatasets, uploadDataset } from "@/lib/datasets";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

/** Built-in datasets, plus the caller's uploads when signed in. */
export const GET = route(async (request) => {
  const session = await findSession(prisma, sessionToken(request));
  return Response.json({ datasets: await listDatasets(prisma, blobStore(), session?.address ?? null) }, { headers: noStore });
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
