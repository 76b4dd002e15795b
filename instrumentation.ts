// Runs once when a Next.js server starts: a misconfigured server stops here with a message naming
// the bad variable, instead of starting and failing on every request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { serverEnv } = await import("./lib/env");
  try {
    serverEnv();
  } catch (e) {
    console.error(`[app] ${(e as Error).message}`);
    process.exit(1);
  }
}
