import "server-only";
import { z } from "zod";
import type { PublicConfig } from "@/lib/chain/public-config";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");

/**
 * Server configuration, validated once per process. `scripts/dev.ts` fills the embedded defaults
 * (DATABASE_URL of the embedded Postgres, RPC_URL of the local anvil) before it starts the app, so
 * inside the app both are required.
 */
export const serverEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  RPC_URL: z.url({ protocol: /^(https?|wss?)$/ }),
  /** Chain id the deployment file must name; checked against the RPC's answer by /api/health. */
  CHAIN_ID: z.coerce.number().int().positive().default(31337),
  /** Comma-separated admin wallets (invariant 5: admins are a configured allow-list). */
  ADMIN_ADDRESSES: z
    .string()
    .default("")
    .transform((s) => s.split(",").map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(address)),
  /** RPC URL handed to browsers (defaults to RPC_URL; set it when the server reaches the node by a private address). */
  PUBLIC_RPC_URL: z.url({ protocol: /^https?$/ }).optional(),
  CHAIN_NAME: z.string().min(1).optional(),
  /** Block explorer base URL used for transaction and address links. */
  EXPLORER_URL: z.url().optional(),
  /** Only used when a WalletConnect-based wallet is offered; injected wallets need none. */
  WALLETCONNECT_PROJECT_ID: z.string().min(1).default("corex-local"),
  /** Blocks behind the head after which the indexer is reported as unhealthy. */
  INDEXER_MAX_LAG: z.coerce.number().int().nonnegative().default(20),
  /** Folder of `<chainId>.json` deployment files (default: the committed contracts-abi/deployments). */
  DEPLOYMENTS_DIR: z.string().min(1).optional(),
  /** Seconds without an indexer heartbeat after which the indexer is reported down (it beats every ≤ 5 s). */
  INDEXER_HEARTBEAT_TIMEOUT: z.coerce.number().positive().default(30),

  // ── accounts, datasets, jobs (lib/auth, lib/blobs, lib/datasets, lib/jobs) ──
  /** Public origin of the app (e.g. https://corex.example); SIWE messages must name it. Default: the request's Host. */
  APP_ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
  /** Lifetime of a SIWE session. */
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 86_400).default(7 * 86_400),
  /** Largest CSV upload; enforced while the body streams in. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  /** Where blobs (shards, weights) live: the filesystem (BLOB_DIR) or an S3-compatible bucket. */
  BLOB_STORE: z.enum(["fs", "s3"]).default("fs"),
  BLOB_DIR: z.string().min(1).default(".data/blobs"),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Endpoint of an S3-compatible service (MinIO, R2…); unset = AWS. */
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z.enum(["0", "1"]).default("0").transform((v) => v === "1"),

  // ── epochs and rewards (lib/epochs) ──
  /** Key of the coordinator (ORACLE_ROLE, SLASHER_ROLE, COORDINATOR_ROLE): posts epochs, slashes, sends TaskManager.complete and pays fees. Unset: read-only (the fragments coordinator defaults to anvil's deployer on chain 31337). */
  COORDINATOR_PRIVATE_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex key").optional(),
  /** Length of an epoch: the closer posts one when this much chain time has passed since the last. */
  EPOCH_SECONDS: z.coerce.number().int().min(1).default(300),
  /** 1: after each final epoch the coordinator pushes everyone's claims with claimMany (relayer mode). */
  EPOCH_RELAYER: z.enum(["0", "1"]).default("0").transform((v) => v === "1"),

  // ── fragments coordinator (lib/scheduler) ──
  /** Coordinator loop period in milliseconds (verification, aggregation, round start). */
  COORDINATOR_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  /** Seconds a spot check may wait for a node of another owner before the coordinator runs it with the CPU reference (at once when no such node exists). */
  SPOT_CHECK_WAIT_S: z.coerce.number().int().min(0).max(86_400).default(300),

  // ── dapp admin (lib/admin) ──
  /** Seconds between the admin samples (throughput, queue depth, indexer lag, reorgs) the server records; 0 = off. */
  ADMIN_SAMPLE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
}).refine((e) => e.BLOB_STORE !== "s3" || e.S3_BUCKET, { path: ["S3_BUCKET"], message: "required when BLOB_STORE=s3" });

export type ServerEnv = z.infer<typeof serverEnvSchema>;

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  if (cached) return cached;
  const parsed = serverEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid server environment:\n${detail}\nSee README.md → Configuration.`);
  }
  cached = parsed.data;
  return cached;
}

export function publicConfig(): PublicConfig {
  const env = serverEnv();
  return {
    chainId: env.CHAIN_ID,
    rpcUrl: env.PUBLIC_RPC_URL ?? env.RPC_URL,
    chainName: env.CHAIN_NAME,
    explorerUrl: env.EXPLORER_URL,
    walletConnectProjectId: env.WALLETCONNECT_PROJECT_ID,
  };
}
