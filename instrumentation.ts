// Runs once when a Next.js server starts: a misconfigured server stops here with a message naming
// the bad variable, instead of starting and failing on every request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { serverEnv } = await import("./lib/env");
  let env;
  try {
    env = serverEnv();
  } catch (e) {
    console.error(`[app] ${(e as Error).message}`);
    process.exit(1);
  }
  // The admin charts' samples over time (lib/admin). Not during `next build`, which also runs this.
  if (env.ADMIN_SAMPLE_SECONDS > 0 && process.env.NEXT_PHASE !== "phase-production-build") {
    const [{ prisma }, { startAdminSampler }] = await Promise.all([import("./lib/db"), import("./lib/admin")]);
    startAdminSampler(prisma, env.CHAIN_ID, env.ADMIN_SAMPLE_SECONDS);
  }
}
