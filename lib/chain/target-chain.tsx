"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { Chain } from "viem";

const TargetChainContext = createContext<Chain | null>(null);

export function TargetChainProvider({ chain, children }: { chain: Chain; children: ReactNode }) {
  return <TargetChainContext.Provider value={chain}>{children}</TargetChainContext.Provider>;
}

/** The chain the contracts live on, as configured on the server. */
export function useTargetChain(): Chain {
  const chain = useContext(TargetChainContext);
  if (!chain) throw new Error("useTargetChain outside <Providers>");
  return chain;
}
