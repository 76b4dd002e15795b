import { z } from "zod";
import { emptyAsUnset, flag, port } from "./define";
import { anvilPort, appOrigin, appPort, blobDirText, chainIdText, database, deploymentsDir, rpc } from "./shared";

/** Demo nodes the dev CLI workers run for, in order (scripts/dev.ts DEV_WORKER_NODES). */
export const MAX_DEV_WORKERS = 3;

/**
 * `npm run dev` (scripts/dev.ts). Each unset part falls back to an embedded default; what it passes on
 * to its children (the app, indexer, coordinator, epoch loop, workers) is validated again by theirs.
 */
export const devShape = {
  PORT: appPort,
  DEV_HOST: z
    .string()
    .min(1)
    .default("127.0.0.1")
    .describe("Address the Next.js app listens on. `next dev` shows stack traces with server paths: the default serves this machine only; `npm run dev -- --expose` (or `DEV_HOST=0.0.0.0`) serves the network."),
  ANVIL_PORT: anvilPort,
  ANVIL_BLOCK_TIME: emptyAsUnset(z.coerce.number().positive().optional().describe("Seconds per block of the dev chain.").meta({ docDefault: "automine" })),
  EMBEDDED_DB_PORT: port().default(5433).describe("Port of the embedded Postgres `npm run dev` starts when `DATABASE_URL` is unset."),
  DATA_DIR: z
    .string()
    .min(1)
    .default(".data")
    .describe("Where PGlite data, anvil state, the local chain's deployment file and the contracts stamp live (dev and e2e runs never write the repository's `contracts-abi/deployments`)."),
  // Empty = unset: the embedded Postgres and the local anvil (the dev tests blank inherited values so).
  DATABASE_URL: emptyAsUnset(database.optional),
  RPC_URL: emptyAsUnset(rpc.optional),
  // No schema defaults for these two (zod applies an inner default even under .optional()): unset, dev
  // derives them (the RPC's chain id, $DATA_DIR/blobs).
  CHAIN_ID: z.coerce.number().int().positive().optional().describe(chainIdText).meta({ docDefault: "31337 on its own anvil · else the RPC's chain id" }),
  DEPLOYMENTS_DIR: deploymentsDir,
  BLOB_DIR: z.string().min(1).optional().describe(blobDirText).meta({ docDefault: "`$DATA_DIR/blobs`" }),
  APP_ORIGIN: appOrigin,
  DEV_WORKERS: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_DEV_WORKERS)
    .default(2)
    .describe("How many CLI workers (0–3) run for the demo nodes #2, #3, #1 (distinct owners: the demo job's two replicas of a fragment need two owners).")
    .meta({ docDefault: "2 (e2e server: 0)" }),
  DEV_SEED: flag("1").describe("`0` skips the demo data (nodes, epoch, demo MNIST job and its task) on a fresh dev chain."),
  DEV_DEMO_JOB: z
    .enum(["full", "small"])
    .default("full")
    .describe("Which demo MNIST job a fresh dev chain gets: `full` = the tuned 320-fragment job of `npm run bench:quality`, `small` = 40 fragments (lib/jobs/demo.ts).")
    .meta({ docDefault: "`full` (e2e server: `small`)" }),
  DEV_VOTING_PERIOD_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(30 * 86_400)
    .default(86_400)
    .describe("Voting period of the governor a fresh local dev chain deploys: the seeded demo proposal stays open this long for a newcomer to vote on (timelock 60 s, voting delay 1 s).")
    .meta({ docDefault: "86400 (e2e server: 3600)" }),
  DEV_AUTO_DEPLOY: flag("0").describe("`1` lets `npm run dev` deploy to a non-local `RPC_URL` that has no deployment."),
};

export const devEnvSchema = z.object(devShape);

export type DevEnv = z.infer<typeof devEnvSchema>;
