import { notFound, otherMethods, parseParams, route } from "@/lib/api";
import { blobStore } from "@/lib/blobs";
import { blobParamsSchema } from "@/lib/blobs";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ sha256: string }> }>(async (request, { params }) => {
  const { sha256 } = parseParams(await params, blobParamsSchema);
  const etag = `"${sha256}"`;
  const headers = { "cache-control": "public, max-age=31536000, immutable", etag };
  // Content-addressed: if the client has this name it has these bytes.
  if (request.headers.get("if-none-match")?.split(",").some((t) => t.trim() === etag)) {
    if (await blobStore().has(sha256)) return new Response(null, { status: 304, headers });
  }
  const bytes = await blobStore().get(sha256);
  if (!bytes) throw notFound(`no blob ${sha256}`);
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { ...headers, "content-type": "application/octet-stream", "content-length": String(bytes.byteLength) } });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
