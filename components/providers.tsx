"use client";

import { useState, type ReactNode } from "react";
import { resolveChain } from "@/lib/chain/client";
import type { PublicConfig } from "@/lib/chain/client";
import { TargetChainProvider } from "@/lib/chain/client";
import { WalletConfigProvider } from "./wallet/wallet-config";

/**
 * App-wide providers, deliberately light: the target chain and the chain settings the wallet stack
 * will need. The wallet stack itself (wagmi, RainbowKit, TanStack Query, toasts) is NOT mounted
 * here — read-only pages never download it. It loads on demand in islands (components/wallet):
 * the header's WalletButton, the wrong-network banner, and any <WalletBoundary> a page renders
 * around the part that sends transactions or reads the wallet. All islands share one wagmi config.
 */
export function Providers({ config, children }: { config: PublicConfig; children: ReactNode }) {
  const [chain] = useState(() => resolveChain(config));
  return (
    <TargetChainProvider chain={chain}>
      <WalletConfigProvider config={config}>{children}</WalletConfigProvider>
    </TargetChainProvider>
  );
}

export { WalletBoundary } from "./wallet/lazy-wallet";
