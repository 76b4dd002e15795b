import { clientIp, noStore, otherMethods, parseParams, route } from "@/lib/api";
import { appOrigin, hitRateLimit, rateRules, requireSession } from "@/lib/auth";
import { serverEnv } from "@/lib/env";
import { listModels, modelListQuerySchema, modelsCtx, readModelUpload, saveUploadedModel } from "@/lib/models";

export const dynamic = "force-dynamic";

/** The registry, newest first: completed jobs' models (published on this read if new) and uploads. */
export const GET = route(async (request) => {
  const query = parseParams(Object.fromEntries(new URL(request.url).searchParams), modelListQuerySchema, "query");
  return Response.json(await listModels(modelsCtx(), query, appOrigin(request)), { headers: noStore });
});

export const POST = route(async (request) => {
  const ctx = modelsCtx();
  const s = await requireSession(ctx.db, request);
  await hitRateLimit(ctx.db, rateRules.upload, [`ip:${clientIp(request)}`, `address:${s.address.toLowerCase()}`]);
  // Checked in full as it streams (header, every tensor against the config, every value finite) before
  // anything is stored: a refused file leaves no row and no blob.
  const upload = await readModelUpload(request, serverEnv().MAX_MODEL_UPLOAD_BYTES);
  return Response.json(await saveUploadedModel(ctx, s.address, upload, appOrigin(request)), { status: 201, headers: noStore });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
