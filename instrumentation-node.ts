// A misconfigured server stops at start-up with a message naming the bad variable, instead of
// starting and failing on every request (imported by instrumentation.ts in the Node.js runtime only).
// It also starts the admin charts' sampler (lib/admin), and stamps each request with its TCP peer so
// rate limits see the real client address (lib/api/peer-stamp.ts; TRUSTED_PROXY_COUNT).
import { stampPeerAddresses } from "@/lib/api";
import { serverEnv, type ServerEnv } from "./lib/env";

let env: ServerEnv;
try {
  env = serverEnv();
} catch (e) {
  console.error(`[app] ${(e as Error).message}`);
  process.exit(1);
}
stampPeerAddresses();

// The admin charts' samples over time. Not during `next build`, which also runs instrumentation.
if (env.ADMIN_SAMPLE_SECONDS > 0 && process.env.NEXT_PHASE !== "phase-production-build") {
  const [{ prisma }, { startAdminSampler }] = await Promise.all([import("./lib/db"), import("./lib/admin")]);
  startAdminSampler(prisma, env.CHAIN_ID, env.ADMIN_SAMPLE_SECONDS);
}
