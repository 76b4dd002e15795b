import { z } from "zod";
import { address, privateKey } from "./define";
import { appOrigin, appOriginAliases, blobs, chainId, coordinatorKey, slasherKey, database, databasePool, deployments, requireBucket, rpc } from "./shared";

/**
 * The app server's variables (`next dev` / `next start`; read through `serverEnv()` in lib/env.ts).
 * The coordinator and the epoch loop run the same server modules (blob store, chain clients), so their
 * schemas extend this one. Chain settings reach the browser as props from the server: nothing here is
 * `NEXT_PUBLIC_*`, and secrets never may be.
 */
export const appShape = {
  NODE_ENV: z.enum(["development", "test", "production"]).default("development").describe("Set by Next; anything but `development` marks session cookies Secure."),
  DATABASE_URL: database.required,
  ...databasePool,
  RPC_URL: rpc.required,
  CHAIN_ID: chainId,
  ...deployments,
  ADMIN_ADDRESSES: z
    .string()
    .default("")
    .transform((s) => s.split(",").map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(address))
    .describe("Comma-separated admin wallets (the allow-list of invariant 5).")
    .meta({ docType: "comma-separated addresses" }),
  PUBLIC_RPC_URL: z.url({ protocol: /^https?$/ }).optional().describe("RPC URL handed to browsers, when the server reaches the node by a private address.").meta({ docDefault: "`RPC_URL`" }),
  CHAIN_NAME: z.string().min(1).optional().describe("Display name of a custom chain.").meta({ docDefault: "viem's name for the chain id" }),
  EXPLORER_URL: z.url().optional().describe("Block explorer base URL for transaction and address links.").meta({ docDefault: "viem's explorer for the chain id" }),
  WALLETCONNECT_PROJECT_ID: z.string().min(1).default("corex-local").describe("Only used when a WalletConnect-based wallet is offered; injected wallets need none."),
  INDEXER_MAX_LAG: z.coerce.number().int().nonnegative().default(20).describe("Blocks of indexer lag above which /api/health reports the indexer down."),
  INDEXER_HEARTBEAT_TIMEOUT: z.coerce.number().positive().default(30).describe("Seconds without an indexer heartbeat (it beats every ≤ 5 s) after which /api/health reports the indexer down."),

  // accounts, datasets, jobs (lib/auth, lib/blobs, lib/datasets, lib/jobs)
  APP_ORIGIN: appOrigin,
  APP_ORIGIN_ALIASES: appOriginAliases,
  TRUSTED_PROXY_COUNT: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(0)
    .describe(
      "Reverse proxies in front of the app that append the address they see to `X-Forwarded-For`. Rate limits take the client address that many entries from the right (0: the TCP peer; every `X-Forwarded-For` entry is then ignored, since a client can send any). Count only proxies you run: one too many lets clients pick their address.",
    ),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 86_400).default(7 * 86_400).describe("Lifetime of a SIWE session (7 days by default)."),
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024).describe("Largest dataset upload, CSV or .txt (50 MB by default; a .txt at most 50 MB), enforced while the body streams in (413 above)."),
  MAX_MODEL_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(200 * 1024 * 1024).describe("Largest model upload (safetensors, 200 MB by default): a declared Content-Length above it is refused before reading, a streamed body the moment it passes (413)."),
  UPLOAD_PARSE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2).describe("Uploads parsed at once, each in a worker thread of its own; another is answered 503 `server_busy` with Retry-After."),
  UPLOAD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3_600).default(300).describe("Longest an upload may take, transfer and parse together; past it the parse stops and the answer is 408 `upload_timeout`."),
  ...blobs,

  // epochs and rewards (lib/epochs): the app reads the chain with it; the epoch loop posts with it.
  COORDINATOR_PRIVATE_KEY: coordinatorKey,
  SLASHER_PRIVATE_KEY: slasherKey,

  // dev-chain faucet (lib/faucet): refused on any chain but 31337, whatever these say.
  DEV_FAUCET_PRIVATE_KEY: privateKey()
    .optional()
    .describe(
      "Key of the dev-chain faucet's account (POST /api/faucet). It pays out only the CXT the dev seed gave it (20,000), one drip per wallet per window, and only when CHAIN_ID is 31337. Unset: no faucet. Never a key holding real funds.",
    )
    .meta({ docDefault: "anvil account #10 under `npm run dev` on its own anvil; else unset" }),
  DEV_FAUCET_DRIP_CXT: z.coerce.number().int().min(1).max(5_000).default(1_000).describe("CXT one faucet drip sends (at most 5,000)."),
  DEV_FAUCET_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3_600).describe("A wallet gets one faucet drip per this many seconds."),

  // dapp admin (lib/admin)
  ADMIN_SAMPLE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60).describe("Seconds between the admin chart samples (throughput, queue depth, indexer lag, reorgs) the app server records; 0 = off."),
};

export const appEnvSchema = z.object(appShape).superRefine(requireBucket);

export type AppEnv = z.infer<typeof appEnvSchema>;
