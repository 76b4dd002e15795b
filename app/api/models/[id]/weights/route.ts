import { otherMethods, parseParams, route } from "@/lib/api";
import { modelParamsSchema, modelsCtx, modelWeights } from "@/lib/models";

export const dynamic = "force-dynamic";

/** The safetensors file. A model's bytes never change (its id names one content hash): cacheable for good. */
export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = parseParams(await params, modelParamsSchema);
  const { bytes, sha256 } = await modelWeights(modelsCtx(), id);
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(bytes.byteLength),
      "content-disposition": `attachment; filename="corex-model-${id}.safetensors"`,
      "cache-control": "public, max-age=31536000, immutable",
      etag: `"${sha256}"`,
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
