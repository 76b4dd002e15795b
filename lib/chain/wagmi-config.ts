import { connectorsForWallets } from "@rainbow-me/rainbowkit";
import { injectedWallet, metaMaskWallet } from "@rainbow-me/rainbowkit/wallets";
import { createConfig, http, type Config } from "wagmi";
import type { Chain } from "viem";
import { devChain } from "./chains";
import type { PublicConfig } from "./public-config";

export function createWagmiConfig(target: Chain, config: PublicConfig): Config {
  const hasMetaMask =
    typeof window !== "undefined" &&
    Boolean((window as { ethereum?: { isMetaMask?: boolean } }).ethereum?.isMetaMask);
  // metaMaskWallet without an injected MetaMask falls back to WalletConnect, which opens a relay
  // websocket: only offer it when MetaMask is really there.
  const wallets = hasMetaMask ? [injectedWallet, metaMaskWallet] : [injectedWallet];
  const connectors = connectorsForWallets([{ groupName: "Wallets", wallets }], {
    appName: "Corex Network",
    projectId: config.walletConnectProjectId,
  });
  // The target chain goes first; the dev chain stays available so local wallets keep working.
  const chains: [Chain, ...Chain[]] = target.id === devChain.id ? [target] : [target, devChain];
  return createConfig({
    chains,
    connectors,
    // Made in the browser only, when the wallet stack is first needed (components/wallet): the store
    // hydrates from localStorage at once, and wallet-stack.tsx runs the one reconnect.
    ssr: false,
    transports: Object.fromEntries(chains.map((c) => [c.id, http(c.rpcUrls.default.http[0])])),
  });
}
