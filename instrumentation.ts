// Runs once when a Next.js server starts. The check itself lives in a Node-only module so the Edge
// build of this file never sees process.exit.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}
