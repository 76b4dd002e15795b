import { clientIp, noStore, otherMethods, route } from "@/lib/api";
import { hitRateLimit, issueNonce, rateRules } from "@/lib/auth";
import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await hitRateLimit(prisma, rateRules.nonce, [`ip:${clientIp(request)}`]);
  return Response.json({ nonce: await issueNonce(prisma) }, { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
