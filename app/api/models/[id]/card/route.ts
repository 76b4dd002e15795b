import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { appOrigin } from "@/lib/auth";
import { modelCard, modelParamsSchema, modelsCtx } from "@/lib/models";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const { id } = parseParams(await params, modelParamsSchema);
  const card = await modelCard(modelsCtx(), id, appOrigin(request));
  return Response.json(card, { headers: { ...noStore, "content-disposition": `inline; filename="corex-model-${id}.model-card.json"` } });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
