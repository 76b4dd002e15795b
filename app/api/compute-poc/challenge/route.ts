import { noStore, otherMethods, parseJson, route } from "@/lib/api";
import { issuePocChallenge, pocChallengeRequestSchema } from "@/lib/compute-poc";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { throttles } from "@/lib/auth";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  const body = await parseJson(request, pocChallengeRequestSchema, 1024);
  const challenge = await issuePocChallenge({ db: prisma, chainId: serverEnv().CHAIN_ID }, request, body);
  return Response.json(challenge, { status: 201, headers: noStore });
}, { failures: throttles.workerRefusals });

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
