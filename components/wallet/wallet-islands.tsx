"use client";

import { ConnectButton, useConnectModal } from "@rainbow-me/rainbowkit";
import { useEffect, type ReactNode } from "react";
import { Toaster } from "sonner";
import { NetworkGuard } from "@/components/network-guard";
import { useResolvedTheme } from "@/components/theme/theme-toggle";
import { takeConnectIntent } from "./wallet-demand";
import { WalletStack } from "./wallet-stack";

/** Header: RainbowKit's Connect/account button, and the page's one toast container. */
export function HeaderWalletIsland() {
  const theme = useResolvedTheme();
  return (
    <WalletStack>
      <OpenModalOnIntent />
      <ConnectButton showBalance={false} chainStatus="icon" accountStatus="address" />
      <Toaster theme={theme} position="bottom-right" closeButton />
    </WalletStack>
  );
}

/** The user clicked Connect before the stack had loaded: open the modal they asked for. */
function OpenModalOnIntent() {
  const { openConnectModal } = useConnectModal();
  useEffect(() => {
    if (openConnectModal && takeConnectIntent()) openConnectModal();
  }, [openConnectModal]);
  return null;
}

export function NetworkGuardIsland() {
  return (
    <WalletStack modals={false}>
      <NetworkGuard />
    </WalletStack>
  );
}

export function WalletSection({ children }: { children: ReactNode }) {
  return <WalletStack>{children}</WalletStack>;
}
