import { parseSiweMessage } from "viem/siwe";
import { clientIp, noStore, parseJson, route } from "@/lib/api";
import { authContext, hitRateLimit, rateRules, secureCookies, sessionCookies, signIn, withCookies } from "@/lib/auth";
import { verifyRequestSchema } from "@/lib/auth";
import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  await hitRateLimit(prisma, rateRules.verify, [`ip:${clientIp(request)}`]);
  const body = await parseJson(request, verifyRequestSchema, 32 * 1024);
  // Per address too: a botnet spread over many IPs still hits one wallet's budget.
  const claimed = parseSiweMessage(body.message).address;
  if (claimed) await hitRateLimit(prisma, rateRules.verify, [`address:${claimed.toLowerCase()}`]);
  const session = await signIn(authContext(request), body);
  return Response.json(
    { address: session.address, expiresAt: session.expiresAt.toISOString() },
    { headers: withCookies(noStore, sessionCookies(session.token, session.expiresAt, secureCookies())) },
  );
});
