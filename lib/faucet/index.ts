import "server-only";
import { createWalletClient, formatUnits, http, parseEther, type Address, type Hash } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { cxtTokenAbi } from "@/contracts-abi";
import { ApiError } from "@/lib/api";
import { hitRateLimit, type RateRule } from "@/lib/auth";
import { loadDeployment, sendTx, serverPublicClient } from "@/lib/chain";
import type { PrismaClient } from "@/lib/db";
import { serverEnv } from "@/lib/env";

/** The only chain the faucet pays on: anvil's, whose keys are public and whose CXT is play money. */
export const FAUCET_CHAIN_ID = 31337;

export type FaucetDrip = { to: Address; amount: string; hash: Hash; balance: string };

/** Where a faucet is refused before anything is counted or sent: not the dev chain, or no faucet key. */
export function faucetRefusal(env: { CHAIN_ID: number; DEV_FAUCET_PRIVATE_KEY?: string }): ApiError | null {
  if (env.CHAIN_ID !== FAUCET_CHAIN_ID)
    return new ApiError(403, "faucet_unavailable", `the faucet only exists on the dev chain (${FAUCET_CHAIN_ID}); this server runs chain ${env.CHAIN_ID}, where CXT is earned, not given`);
  if (!env.DEV_FAUCET_PRIVATE_KEY) return new ApiError(403, "faucet_unavailable", "this dev server has no faucet (DEV_FAUCET_PRIVATE_KEY is unset)");
  return null;
}

/**
 * Sends one drip of dev CXT from the faucet account to `to`. Bounded three ways: the chain (31337
 * only), the faucet account's balance (what the dev seed gave it, never minted here), and one drip per
 * wallet per DEV_FAUCET_WINDOW_SECONDS (counted before sending, so a failed send still uses the turn).
 */
export async function dripFaucet(db: PrismaClient, to: Address): Promise<FaucetDrip> {
  const env = serverEnv();
  const refused = faucetRefusal(env);
  if (refused) throw refused;
  const deployment = await loadDeployment(env.CHAIN_ID);
  const token = deployment?.contracts.CXTToken?.address as Address | undefined;
  if (!token) throw new ApiError(503, "internal", `no CXTToken deployment for chain ${env.CHAIN_ID}`);
  const rule: RateRule = { name: "faucet", limit: 1, windowSeconds: env.DEV_FAUCET_WINDOW_SECONDS };
  await hitRateLimit(db, rule, [to.toLowerCase()]);

  const client = serverPublicClient();
  const account = privateKeyToAccount(env.DEV_FAUCET_PRIVATE_KEY as `0x${string}`);
  const amount = parseEther(String(env.DEV_FAUCET_DRIP_CXT));
  const left = await client.readContract({ address: token, abi: cxtTokenAbi, functionName: "balanceOf", args: [account.address] });
  if (left < amount) throw new ApiError(503, "faucet_empty", `the faucet has ${formatUnits(left, 18)} CXT left, less than one drip (${env.DEV_FAUCET_DRIP_CXT} CXT); restart the dev stack with a fresh chain to refill it`);
  const wallet = createWalletClient({ account, transport: http(env.RPC_URL) });
  const { hash } = await sendTx({ client, wallet }, { address: token, abi: cxtTokenAbi, functionName: "transfer", args: [to, amount] });
  const balance = await client.readContract({ address: token, abi: cxtTokenAbi, functionName: "balanceOf", args: [to] });
  return { to, amount: amount.toString(), hash, balance: balance.toString() };
}

export { faucetDripSchema } from "./schemas";
