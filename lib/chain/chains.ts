import { defineChain, type Chain } from "viem";
import { arbitrum, arbitrumSepolia, base, baseSepolia, foundry, mainnet, optimism, optimismSepolia, sepolia } from "viem/chains";

const known: readonly Chain[] = [foundry, base, baseSepolia, arbitrum, arbitrumSepolia, optimism, optimismSepolia, mainnet, sepolia];

export const devChain = foundry;

/**
 * The chain the app targets: a known chain by id (its RPC overridden by the configured one), or a
 * custom chain defined from env for anything else.
 */
export function resolveChain(opts: { chainId: number; rpcUrl: string; chainName?: string; explorerUrl?: string }): Chain {
  const base = known.find((c) => c.id === opts.chainId);
  const explorer = opts.explorerUrl
    ? { blockExplorers: { default: { name: "Explorer", url: opts.explorerUrl } } }
    : base?.blockExplorers
      ? { blockExplorers: base.blockExplorers }
      : {};
  return defineChain({
    ...(base ?? { nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 } }),
    id: opts.chainId,
    name: opts.chainName ?? base?.name ?? `Chain ${opts.chainId}`,
    rpcUrls: { default: { http: [opts.rpcUrl] } },
    ...explorer,
  });
}

/** A link to the transaction on the configured block explorer, when the chain has one. */
export function explorerTxUrl(chain: Chain, hash: string): string | undefined {
  const url = chain.blockExplorers?.default.url;
  return url ? `${url.replace(/\/$/, "")}/tx/${hash}` : undefined;
}

export function explorerAddressUrl(chain: Chain, address: string): string | undefined {
  const url = chain.blockExplorers?.default.url;
  return url ? `${url.replace(/\/$/, "")}/address/${address}` : undefined;
}
