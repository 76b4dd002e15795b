import { ApiError, noStore, otherMethods, parseParams, readBodyLimited, route } from "@/lib/api";
import { answerPocChallenge, pocAnswerQuerySchema, pocChallengeSize, pocParamsSchema } from "@/lib/compute-poc";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { throttles } from "@/lib/auth";

export const dynamic = "force-dynamic";

export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const { id } = parseParams(await params, pocParamsSchema);
  const { elapsedMs } = parseParams(Object.fromEntries(new URL(request.url).searchParams), pocAnswerQuerySchema, "query");
  if (!/^application\/octet-stream\b/i.test(request.headers.get("content-type") ?? "")) {
    throw new ApiError(415, "unsupported_media_type", "send C as application/octet-stream: n² u32 little-endian");
  }
  const ctx = { db: prisma, chainId: serverEnv().CHAIN_ID };
  const n = await pocChallengeSize(ctx, request, id);
  const bytes = await readBodyLimited(request, 4 * n * n);
  return Response.json(await answerPocChallenge(ctx, request, id, bytes, elapsedMs), { headers: noStore });
}, { failures: throttles.workerRefusals });

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
