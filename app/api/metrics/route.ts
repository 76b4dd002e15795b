import { otherMethods } from "@/lib/api";
import { prisma } from "@/lib/db";
import { renderMetrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Prometheus scrape endpoint (text exposition format). */
export async function GET(): Promise<Response> {
  try {
    const { contentType, body } = await renderMetrics(prisma);
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  } catch (e) {
    return new Response(`# metrics unavailable: ${(e as Error).message}\n`, { status: 503, headers: { "content-type": "text/plain" } });
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
