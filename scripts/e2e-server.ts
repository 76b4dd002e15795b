/**
 * The server Playwright runs against: the real stack of `npm run dev --prod` (anvil, contracts,
 * migrations, indexer, `next start`; `next dev` when E2E_NEXT_DEV=1) on its own ports, with a fresh database — on the Postgres at
 * TEST_DATABASE_URL when one answers, else the embedded one in a throw-away data folder.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "@/lib/config";
import { e2eEnvSchema } from "@/lib/config";
import { createTestDatabase, testServerUrl } from "@/test/support/db";
import { E2E_VOTING_PERIOD_SECONDS } from "@/e2e/support/voting";
import { freePort } from "./lib/processes";

async function freshDatabase(): Promise<{ url?: string; drop: () => Promise<void> }> {
  try {
    const db = await createTestDatabase();
    await db.prisma.$disconnect();
    return db;
  } catch (err) {
    // Only a server that is not there sends us to the embedded one; any other failure is real.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ECONNREFUSED" && code !== "ENOTFOUND" && code !== "EHOSTUNREACH") throw err;
    console.log(`[e2e] no Postgres at ${testServerUrl()}: using the embedded one`);
    return { drop: async () => {} };
  }
}

const e2e = parseEnv("e2e", e2eEnvSchema);
const db = await freshDatabase();
const dataDir = await mkdtemp(path.join(os.tmpdir(), "corex-e2e-"));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: String(e2e.E2E_PORT),
  ANVIL_PORT: String(e2e.E2E_ANVIL_PORT),
  EMBEDDED_DB_PORT: String(await freePort()),
  DATA_DIR: dataDir,
  EPOCH_DEV_MINE: "0",
};
// Defaults of the e2e stack where the caller set none (dev.ts and its children validate them).
env.ADMIN_ADDRESSES ??= "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
// The epoch closer runs, but the specs read the seeded state (one epoch): no new epoch during a run.
env.EPOCH_SECONDS ??= "86400";
// No background CLI worker: specs that need workers start their own, the others see the seeded state.
env.DEV_WORKERS ??= "0";
// The seeded demo proposal stays open through the specs that read it; governance.spec moves the chain's
// clock past this period (e2e/support/dev-chain.ts E2E_VOTING_PERIOD_SECONDS) to see a vote succeed.
env.DEV_VOTING_PERIOD_SECONDS ??= String(E2E_VOTING_PERIOD_SECONDS);
// The 40-fragment demo job, not the tuned 256-fragment one: CI trains it, and specs count its fragments.
env.DEV_DEMO_JOB ??= "small";
if (db.url) env.DATABASE_URL = db.url;
delete env.RPC_URL;

// The next-dev spec opens the app at the machine's network address too, as `npm run dev -- --expose` serves it.
const devArgs = e2e.E2E_NEXT_DEV ? ["--expose"] : ["--prod"];
const child = spawn(path.join("node_modules", ".bin", "tsx"), ["--conditions=react-server", "scripts/dev.ts", ...devArgs], {
  env,
  stdio: "inherit",
});
let cleaning = false;
const cleanup = async (code: number) => {
  if (cleaning) return;
  cleaning = true;
  child.kill("SIGINT");
  await new Promise((r) => (child.exitCode === null ? child.once("exit", r) : r(null)));
  await db.drop().catch((err) => console.error(`[e2e] could not drop the test database: ${err}`));
  await rm(dataDir, { recursive: true, force: true });
  process.exit(code);
};
child.once("exit", (code) => void cleanup(code ?? 1));
process.on("SIGINT", () => void cleanup(0));
process.on("SIGTERM", () => void cleanup(0));
