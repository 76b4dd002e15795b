import { clientIp, noStore, otherMethods, route } from "@/lib/api";
import { findSession, hitRateLimit, rateRules, requireSession, sessionToken } from "@/lib/auth";
import { blobStore } from "@/lib/blobs";
import { datasetView, listDatasets, readCsvUpload, saveUploadedDataset, saveUploadedText } from "@/lib/datasets";
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
  // Validated in full before anything is stored: a refused file leaves no blob and no row.
  const upload = await readCsvUpload(request, serverEnv().MAX_UPLOAD_BYTES);
  const dataset =
    upload.kind === "text" ? datasetView(await saveUploadedText(prisma, blobStore(), s.address, upload)) : await saveUploadedDataset(prisma, blobStore(), s.address, upload);
  return Response.json(dataset, { status: 201, headers: noStore });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
