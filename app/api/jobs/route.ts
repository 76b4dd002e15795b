import { noStore, otherMethods, parseJson, parseParams, route } from "@/lib/api";
import { hitRateLimit, rateRules, requireSession, throttles } from "@/lib/auth";
import { blobStore } from "@/lib/blobs";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { z } from "zod";
import { createJob, jobListQuerySchema, jobRequestSchemaFor, listJobs, MAX_PROMPTS_BYTES } from "@/lib/jobs";

export const dynamic = "force-dynamic";

// Anonymous and a database statement or two per call: capped per client in memory (lib/auth throttles).
export const GET = route(async (request) => {
  const query = parseParams(Object.fromEntries(new URL(request.url).searchParams), jobListQuerySchema, "query");
  return Response.json({ jobs: await listJobs(prisma, query) }, { headers: noStore });
}, { requests: throttles.publicList });

export const POST = route(async (request) => {
  const s = await requireSession(prisma, request);
  // One body, two shapes: `kind: "inference"` is validated as an inference job, anything else as training.
  // Room for a language model's prompts file (MAX_PROMPTS_BYTES characters, each up to 4 bytes of UTF-8 or escape).
  const body = await parseJson(request, z.unknown(), 4 * MAX_PROMPTS_BYTES + 16 * 1024);
  const input = parseParams(body, jobRequestSchemaFor(body), "body");
  // Per signed-in account: each job may write shards (an MNIST split is about 25 MB) until it expires.
  await hitRateLimit(prisma, rateRules.jobs, [`address:${s.address.toLowerCase()}`]);
  const job = await createJob({ db: prisma, store: blobStore(), chainId: serverEnv().CHAIN_ID }, s.address, input);
  return Response.json(job, { status: 201, headers: noStore });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
