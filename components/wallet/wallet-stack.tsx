"use client";

import "@rainbow-me/rainbowkit/styles.css";
import { RainbowKitProvider, darkTheme, lightTheme } from "@rainbow-me/rainbowkit";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { Chain } from "viem";
import { WagmiContext, type Config } from "wagmi";
import { reconnect } from "wagmi/actions";
import { useResolvedTheme } from "@/components/theme/theme-toggle";
import type { PublicConfig } from "@/lib/chain/client";
import { useTargetChain } from "@/lib/chain/client";
import { createWagmiConfig } from "@/lib/chain/client";
import { AuthProvider } from "@/components/auth-provider";
import { useWalletConfig } from "./wallet-config";

/**
 * The heavy part of the wallet stack, only ever imported lazily (see lazy-wallet.tsx). Every wallet
 * island on a page shares one wagmi config and one QueryClient, so they see the same connection.
 * Islands use WagmiContext directly instead of <WagmiProvider>: WagmiProvider reconnects on every
 * mount (and resets connections when told not to), which would make each new island disturb a live
 * connection. The one reconnect (restoring an earlier session) happens here, when the clients are made.
 */
let shared: { key: string; wagmi: Config; query: QueryClient } | undefined;

function walletClients(config: PublicConfig, chain: Chain) {
  const key = JSON.stringify([config, chain.id]);
  if (!shared || shared.key !== key) {
    const wagmi = createWagmiConfig(chain, config);
    shared = { key, wagmi, query: new QueryClient({ defaultOptions: { queries: { staleTime: 5_000 } } }) };
    void reconnect(wagmi);
  }
  return shared;
}

const accentColor = { dark: "#10b981", light: "#047857" } as const;
const themes = {
  dark: darkTheme({ accentColor: accentColor.dark, accentColorForeground: "#09090b" }),
  light: lightTheme({ accentColor: accentColor.light }),
};

export function WalletStack({ children, modals = true }: { children: ReactNode; modals?: boolean }) {
  const chain = useTargetChain();
  const { wagmi, query } = walletClients(useWalletConfig(), chain);
  const theme = useResolvedTheme();
  return (
    <WagmiContext.Provider value={wagmi}>
      <QueryClientProvider client={query}>
        {modals ? (
          // SIWE is part of connecting: RainbowKit's authentication adapter over /api/auth/*.
          <AuthProvider>
            <RainbowKitProvider initialChain={chain} theme={themes[theme]} avatar={InitialsAvatar}>
              {children}
            </RainbowKitProvider>
          </AuthProvider>
        ) : (
          children
        )}
      </QueryClientProvider>
    </WagmiContext.Provider>
  );
}

// RainbowKit's default avatar is an emoji, and these machines have no emoji font. Lightness 26%
// keeps white initials ≥ 4.5:1 on every hue (yellow is the worst case).
export function InitialsAvatar({ address, size }: { address: string; size: number }) {
  const hue = parseInt(address.slice(2, 8), 16) % 360;
  return (
    <span
      aria-hidden
      style={{ width: size, height: size, borderRadius: "50%", background: `hsl(${hue} 65% 26%)` }}
      className="inline-flex shrink-0 items-center justify-center text-[10px] font-semibold text-white"
    >
      {address.slice(2, 4).toUpperCase()}
    </span>
  );
}
