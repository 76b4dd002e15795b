import "server-only";
import { createWalletClient, http, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { serverPublicClient } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain";
import { ApiError } from "@/lib/api";
import { serverEnv } from "@/lib/env";
import type { EpochChain } from "./chain";
import { readFinalEpoch } from "./claims";

/** The app's chain reader for epochs and claims (503 when nothing is deployed on CHAIN_ID). */
export async function epochReader(): Promise<Pick<EpochChain, "chainId" | "client" | "addresses">> {
  const env = serverEnv();
  const d = await loadDeployment(env.CHAIN_ID);
  const a = (n: string) => d?.contracts[n]?.address as Address | undefined;
  const ledger = a("ContributionLedger"), staking = a("Staking"), tasks = a("TaskManager"), token = a("CXTToken");
  if (!ledger || !staking || !tasks || !token) throw new ApiError(503, "internal", `no deployment for chain ${env.CHAIN_ID}`);
  return { chainId: env.CHAIN_ID, client: serverPublicClient(), addresses: { ledger, staking, tasks, token } };
}

/** The coordinator's chain (needs COORDINATOR_PRIVATE_KEY). */
export async function epochChainFromEnv(): Promise<EpochChain> {
  const env = serverEnv();
  if (!env.COORDINATOR_PRIVATE_KEY) throw new Error("COORDINATOR_PRIVATE_KEY is not set");
  const r = await epochReader();
  const wallet = createWalletClient({ account: privateKeyToAccount(env.COORDINATOR_PRIVATE_KEY as `0x${string}`), transport: http(env.RPC_URL) });
  const slasher = env.SLASHER_PRIVATE_KEY
    ? { client: r.client, wallet: createWalletClient({ account: privateKeyToAccount(env.SLASHER_PRIVATE_KEY as `0x${string}`), transport: http(env.RPC_URL) }) }
    : undefined;
  return { ...r, wallet, slasher };
}

/**
 * The ledger's latest final epoch (0n: none yet), or null when the chain cannot be read: pages and
 * figures that only label amounts by it degrade to "not final yet" instead of failing.
 */
export async function readLatestFinalEpoch(): Promise<bigint | null> {
  try {
    return await readFinalEpoch(await epochReader());
  } catch {
    return null;
  }
}
