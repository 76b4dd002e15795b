import { otherMethods, route } from "@/lib/api";
import { openApiDocument } from "@/lib/openapi";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  return Response.json(openApiDocument(new URL(request.url).origin), { headers: { "cache-control": "public, max-age=300" } });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
