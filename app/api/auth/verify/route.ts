import { clientIp, noStore, otherMethods, parseJson, route } from "@/lib/api";
import { authContext, checkRateLimit, cookieMode, countFailures, hitRateLimit, rateRules, sessionCookies, signIn, withCookies } from "@/lib/auth";
import { verifyRequestSchema } from "@/lib/auth";
import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  const client = [`ip:${clientIp(request)}`];
  await hitRateLimit(prisma, rateRules.verify, client);
  // Failures count per client, never per wallet the message names: anyone can name any wallet, and a
  // budget per claimed address let them lock its owner out of sign-in.
  await checkRateLimit(prisma, rateRules.verifyFailed, client);
  const body = await parseJson(request, verifyRequestSchema, 32 * 1024);
  const session = await countFailures(prisma, rateRules.verifyFailed, client, () => signIn(authContext(request), body));
  return Response.json(
    { address: session.address, expiresAt: session.expiresAt.toISOString() },
    { headers: withCookies(noStore, sessionCookies(session.token, session.expiresAt, cookieMode(request))) },
  );
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
