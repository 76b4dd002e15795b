import "server-only";
import { createPublicClient, http, type PublicClient } from "viem";
import { serverEnv } from "@/lib/env";

let client: PublicClient | undefined;

/** The server's read client for RPC_URL (a single instance: viem batches and caches per client). */
export function serverPublicClient(): PublicClient {
  client ??= createPublicClient({ transport: http(serverEnv().RPC_URL, { timeout: 5_000, retryCount: 1 }), cacheTime: 1_000 });
  return client;
}
