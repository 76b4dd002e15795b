// A misconfigured server stops at start-up with a message naming the bad variable, instead of
// starting and failing on every request (imported by instrumentation.ts in the Node.js runtime only).
import { serverEnv } from "./lib/env";

try {
  serverEnv();
} catch (e) {
  console.error(`[app] ${(e as Error).message}`);
  process.exit(1);
}
