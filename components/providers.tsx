"use client";

import "@rainbow-me/rainbowkit/styles.css";
import { RainbowKitProvider, darkTheme } from "@rainbow-me/rainbowkit";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { WagmiProvider } from "wagmi";
import { resolveChain } from "@/lib/chain/chains";
import type { PublicConfig } from "@/lib/chain/public-config";
import { TargetChainProvider } from "@/lib/chain/target-chain";
import { createWagmiConfig } from "@/lib/chain/wagmi-config";
import { AuthProvider } from "./auth-provider";

export function Providers({ config, children }: { config: PublicConfig; children: ReactNode }) {
  const [chain] = useState(() => resolveChain(config));
  const [wagmiConfig] = useState(() => createWagmiConfig(chain, config));
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000 } } }));
  return (
    <TargetChainProvider chain={chain}>
      <WagmiProvider config={wagmiConfig}>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <RainbowKitProvider initialChain={chain} theme={darkTheme({ accentColor: "#10b981" })} avatar={InitialsAvatar}>
              {children}
            </RainbowKitProvider>
          </AuthProvider>
        </QueryClientProvider>
      </WagmiProvider>
    </TargetChainProvider>
  );
}

// RainbowKit's default avatar is an emoji, and these machines have no emoji font.
function InitialsAvatar({ address, size }: { address: string; size: number }) {
  const hue = parseInt(address.slice(2, 8), 16) % 360;
  return (
    <div
      style={{ width: size, height: size, borderRadius: "50%", background: `hsl(${hue} 60% 40%)` }}
      className="flex items-center justify-center text-[10px] font-semibold text-white"
    >
      {address.slice(2, 4).toUpperCase()}
    </div>
  );
}
