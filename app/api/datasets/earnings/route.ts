import { noStore, otherMethods, parseParams, route } from "@/lib/api";
import { requireSession } from "@/lib/auth";
import { earningsQuerySchema, providerEarnings } from "@/lib/datasets";
import { prisma } from "@/lib/db";
import { readLatestFinalEpoch } from "@/lib/epochs";

export const dynamic = "force-dynamic";

/**
 * A provider's earnings per published dataset and in total (the chain is public: any provider may be
 * asked for; default the caller): paid from the mirror, claimable from the latest final epoch's fee leaves.
 */
export const GET = route(async (request) => {
  const { provider } = parseParams(Object.fromEntries(new URL(request.url).searchParams), earningsQuerySchema, "query");
  const address = provider ?? (await requireSession(prisma, request)).address;
  return Response.json(await providerEarnings(prisma, address, await readLatestFinalEpoch()), { headers: noStore });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
