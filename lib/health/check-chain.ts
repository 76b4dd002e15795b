import "server-only";
import type { PublicClient } from "viem";
import type { DeploymentAddresses } from "@/lib/chain";

export type ChainHealth = {
  ok: boolean;
  chainId: number | null;
  expectedChainId: number;
  blockNumber: number | null;
  deployment: { present: boolean; matchesChain: boolean; missingCode: string[] };
  error?: string;
};

/**
 * The chain is healthy when the RPC answers with the configured chain id and every contract in the
 * deployment file has code at its address (a restarted dev chain fails the second check).
 */
export async function checkChain(client: PublicClient, expectedChainId: number, deployment: DeploymentAddresses | undefined): Promise<ChainHealth> {
  const base: ChainHealth = {
    ok: false,
    chainId: null,
    expectedChainId,
    blockNumber: null,
    deployment: { present: Boolean(deployment), matchesChain: false, missingCode: [] },
  };
  try {
    const [chainId, blockNumber] = await Promise.all([client.getChainId(), client.getBlockNumber()]);
    base.chainId = chainId;
    base.blockNumber = Number(blockNumber);
    if (chainId !== expectedChainId) {
      return { ...base, error: `RPC serves chain ${chainId}, expected ${expectedChainId}` };
    }
    if (!deployment) return { ...base, error: `no deployment file for chain ${expectedChainId}` };
    const entries = Object.entries(deployment.contracts);
    const codes = await Promise.all(entries.map(([, c]) => client.getCode({ address: c.address })));
    const missingCode = entries.filter((_, i) => !codes[i] || codes[i] === "0x").map(([name]) => name);
    const matchesChain = missingCode.length === 0 && deployment.chainId === chainId;
    return {
      ...base,
      ok: matchesChain,
      deployment: { present: true, matchesChain, missingCode },
      ...(matchesChain ? {} : { error: `no code at ${missingCode.join(", ")}: the deployment file does not match this chain` }),
    };
  } catch (err) {
    return { ...base, error: `RPC unreachable: ${(err as Error).message.split("\n")[0]}` };
  }
}
