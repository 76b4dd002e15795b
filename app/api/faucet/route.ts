import { noStore, otherMethods, route } from "@/lib/api";
import { requireSession } from "@/lib/auth";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { dripFaucet, faucetRefusal } from "@/lib/faucet";

export const dynamic = "force-dynamic";

// Dev chain only: dev CXT to the signed-in wallet, so a new account can stake without scripts.
export const POST = route(async (request) => {
  // Refused before the session is read: on a real chain there is no faucet for anyone.
  const refused = faucetRefusal(serverEnv());
  if (refused) throw refused;
  const s = await requireSession(prisma, request);
  return Response.json(await dripFaucet(prisma, s.address), { status: 201, headers: noStore });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
