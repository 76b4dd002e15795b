import { clientIp, noStore, route } from "@/lib/api";
import { findSession, hitRateLimit, rateRules, readCookie, requireSession, SESSION_COOKIE } from "@/lib/auth";
import { blobStore } from "@/lib/blobs";
import { listDatasets, readCsvUpload, saveUploadedDataset } from "@/lib/datasets";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

/** Built-in datasets, plus the caller's uploads when signed in. */
export const GET = route(async (request) => {
  const session = await findSession(prisma, readCookie(request, SESSION_COOKIE));
  return Response.json({ datasets: await listDatasets(prisma, blobStore(), session?.address ?? null) }, { headers: noStore });
});

export const POST = route(async (request) => {
  const s = await requireSession(prisma, request);
  await hitRateLimit(prisma, rateRules.upload, [`ip:${clientIp(request)}`, `address:${s.address.toLowerCase()}`]);
  const csv = await readCsvUpload(request, serverEnv().MAX_UPLOAD_BYTES);
  const dataset = await saveUploadedDataset(prisma, blobStore(), s.address, csv);
  return Response.json(dataset, { status: 201, headers: noStore });
});
