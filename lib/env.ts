import "server-only";
import type { PublicConfig } from "@/lib/chain";
import { appEnvSchema, type AppEnv } from "@/lib/config";
import { parseEnv } from "@/lib/config";

/**
 * The app server's configuration (schema: lib/config/app.ts), validated once per process.
 * `scripts/dev.ts` fills the embedded defaults (DATABASE_URL of the embedded Postgres, RPC_URL of the
 * local anvil) before it starts the app, so inside the app both are required.
 */
export { appEnvSchema as serverEnvSchema };
export type ServerEnv = AppEnv;

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  cached ??= parseEnv("server", appEnvSchema);
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
