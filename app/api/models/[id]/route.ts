import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { appOrigin } from "@/lib/auth";
import { getModel, modelParamsSchema, modelsCtx } from "@/lib/models";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const { id } = parseParams(await params, modelParamsSchema);
  return Response.json(await getModel(modelsCtx(), id, appOrigin(request)), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
