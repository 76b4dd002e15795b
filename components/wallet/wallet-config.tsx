"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { PublicConfig } from "@/lib/chain/client";

const WalletConfigContext = createContext<PublicConfig | null>(null);

export function WalletConfigProvider({ config, children }: { config: PublicConfig; children: ReactNode }) {
  return <WalletConfigContext.Provider value={config}>{children}</WalletConfigContext.Provider>;
}

export function useWalletConfig(): PublicConfig {
  const config = useContext(WalletConfigContext);
  if (!config) throw new Error("useWalletConfig outside <Providers>");
  return config;
}
