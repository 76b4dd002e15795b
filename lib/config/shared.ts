import { z } from "zod";
import { emptyAsUnset, optionalInt, port, privateKey } from "./define";

// Variables that more than one process reads, defined once: each process's schema (lib/config/<process>.ts)
// spreads the pieces it needs. Where processes default a variable differently (the app requires
// DATABASE_URL, the scripts fall back to a local Postgres), each variant is named here.

export const LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
export const LOCAL_RPC_URL = "http://127.0.0.1:8545";

const databaseUrlText = "Postgres to use; `?connection_limit=N` in the URL sets the pool size.";
const rpcUrlText = "JSON-RPC endpoint of the chain.";

export const database = {
  /** The app needs it set: `npm run dev` fills in its embedded Postgres before it starts the app. */
  required: z.url({ protocol: /^postgres(ql)?$/ }).describe(databaseUrlText).meta({ docDefault: "`npm run dev`: its embedded PGlite" }),
  /** Scripts fall back to the local Postgres. */
  local: z.string().min(1).default(LOCAL_DATABASE_URL).describe(databaseUrlText),
  /** `npm run dev` starts an embedded Postgres when it is unset. */
  optional: z.url({ protocol: /^postgres(ql)?$/ }).optional().describe(databaseUrlText).meta({ docDefault: "embedded PGlite on `EMBEDDED_DB_PORT`" }),
};

export const databasePool = {
  DATABASE_POOL_MAX: optionalInt(1).describe("Pool size when the DATABASE_URL has no `connection_limit` (read by lib/db/url).").meta({ docDefault: "10" }),
};

export const rpc = {
  required: z.url({ protocol: /^(https?|wss?)$/ }).describe(rpcUrlText).meta({ docDefault: "`npm run dev`: the anvil it starts" }),
  local: z.url().default(LOCAL_RPC_URL).describe(rpcUrlText),
  optional: z.url({ protocol: /^(https?|wss?)$/ }).optional().describe(rpcUrlText).meta({ docDefault: "an anvil started on `ANVIL_PORT`" }),
};

export const chainIdText = "Chain the deployment file and the mirror are for; checked against the RPC's answer by /api/health.";
export const chainId = z.coerce.number().int().positive().default(31337).describe(chainIdText);

// Empty = unset (the committed folder), as lib/chain/deployments read it before the schemas.
export const deploymentsDir = emptyAsUnset(
  z
    .string()
    .min(1)
    .optional()
    .describe("Folder of the `<chainId>.json` deployment files.")
    .meta({ docDefault: "`contracts-abi/deployments` · `$DATA_DIR/deployments` under `npm run dev` on its own anvil" }),
);

/** Read by lib/chain/deployments in every process that loads a deployment file. */
export const deployments = { DEPLOYMENTS_DIR: deploymentsDir };

export const coordinatorKey = privateKey()
  .optional()
  .describe(
    "Key of the coordinator (oracle and TaskManager coordinator roles): posts epoch roots, sends `TaskManager.complete` and fee payouts, settles requested cancellations. Unset: read-only (no closer, jobs are not completed on chain). A secret: never `NEXT_PUBLIC_*`.",
  )
  .meta({ docDefault: "anvil account #0 (the deployer) under `npm run dev` on its own anvil; else unset" });

export const slasherKey = privateKey()
  .optional()
  .describe(
    "Key holding Staking's slasher role (never the coordinator's: the contracts refuse one key holding both): the epoch loop slashes recorded faults with it, at most 10 % per slash and once per node per epoch. Unset: faults are recorded, not slashed. A secret: never `NEXT_PUBLIC_*`.",
  )
  .meta({ docDefault: "anvil account #8 under `npm run dev` on its own anvil; else unset" });

export const blobDirText = "Root of the filesystem blob store.";

/** Where blobs (shards, weights) live: the filesystem (BLOB_DIR) or an S3-compatible bucket. */
export const blobs = {
  BLOB_STORE: z.enum(["fs", "s3"]).default("fs").describe("`fs` (files under `BLOB_DIR`) or `s3` (bucket `S3_BUCKET`)."),
  BLOB_DIR: z.string().min(1).default(".data/blobs").describe(blobDirText).meta({ docDefault: "`.data/blobs` (`npm run dev`: `$DATA_DIR/blobs`)" }),
  S3_BUCKET: z.string().min(3).max(63).optional().describe("Bucket of the S3 blob store.").meta({ docDefault: "— (required when `BLOB_STORE=s3`)" }),
  S3_REGION: z.string().min(1).default("us-east-1").describe("S3 region."),
  S3_ENDPOINT: z.url().optional().describe("Endpoint of an S3-compatible service (MinIO, R2, …).").meta({ docDefault: "AWS" }),
  S3_ACCESS_KEY_ID: z.string().min(1).optional().describe("S3 access key id (a secret: never `NEXT_PUBLIC_*`).").meta({ docDefault: "the SDK's default chain" }),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional().describe("S3 secret key (a secret: never `NEXT_PUBLIC_*`).").meta({ docDefault: "the SDK's default chain" }),
  S3_FORCE_PATH_STYLE: z.enum(["0", "1"]).default("0").transform((v) => v === "1").describe("`1` for path-style URLs (MinIO, s3rver)."),
};

/** BLOB_STORE=s3 needs a bucket. */
export function requireBucket(e: { BLOB_STORE: string; S3_BUCKET?: string }, ctx: z.RefinementCtx): void {
  if (e.BLOB_STORE === "s3" && !e.S3_BUCKET) ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "required when BLOB_STORE=s3" });
}

export const appPort = port().default(3000).describe("Port of the Next.js app.");
export const anvilPort = port().default(8545).describe("Port of the anvil `npm run dev` starts when `RPC_URL` is unset.");
export const appOrigin = z
  .url({ protocol: /^https?$/ })
  .optional()
  .describe("Public origin SIWE messages must name (domain = its host with port). **Set it in production**: a Host header is client-controlled.")
  .meta({ docDefault: "`npm run dev`: `http://localhost:$PORT` · else the request's Host header" });
export const appOriginAliases = z
  .string()
  .default("")
  .transform((s) => s.split(",").map((o) => o.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/ })))
  .describe(
    "Other origins (comma-separated) the same app answers at, whose SIWE messages it also accepts when the request comes to that host: `npm run dev` sets the loopback and network addresses it prints (http://127.0.0.1:$PORT, http://<LAN address>:$PORT, …), the hosts next.config.ts already allows as dev origins. Leave empty in production.",
  )
  .meta({ docType: "comma-separated origins", docDefault: "`npm run dev`: its loopback and network addresses · else none" });
