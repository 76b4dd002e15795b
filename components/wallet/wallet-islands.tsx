"use client";

import { ConnectButton, useConnectModal } from "@rainbow-me/rainbowkit";
import { useEffect, type ReactNode } from "react";
import { Toaster } from "sonner";
import { NetworkGuard } from "@/components/network-guard";
import { useResolvedTheme } from "@/components/theme/theme-toggle";
import { walletButtonBase, walletButtonClass } from "./lazy-wallet";
import { takeConnectIntent } from "./wallet-demand";
import { InitialsAvatar, WalletStack } from "./wallet-stack";

/** Header: RainbowKit's Connect/account button. */
export function HeaderWalletIsland() {
  return (
    <WalletStack>
      <OpenModalOnIntent />
      <WalletStatusButton />
    </WalletStack>
  );
}

/**
 * RainbowKit's state and modals behind our own button: the same look as the placeholder it replaces,
 * and labels that match their text (RainbowKit's stock "Wrong network" button fails axe on contrast
 * and on its aria-label).
 */
function WalletStatusButton() {
  return (
    <ConnectButton.Custom>
      {({ account, chain, mounted, openAccountModal, openChainModal, openConnectModal }) => {
        if (!mounted || !account || !chain)
          return (
            <button type="button" className={walletButtonClass} aria-busy={!mounted || undefined} onClick={openConnectModal}>
              Connect Wallet
            </button>
          );
        if (chain.unsupported)
          return (
            <button type="button" className={`${walletButtonBase} bg-red-700 text-white`} onClick={openChainModal}>
              Wrong network
            </button>
          );
        return (
          <button
            type="button"
            className="inline-flex h-9 shrink-0 items-center gap-2 rounded-xl border border-line bg-surface px-2.5 text-sm font-bold text-fg"
            onClick={openAccountModal}
          >
            <InitialsAvatar address={account.address} size={20} />
            {account.displayName}
            <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="3" aria-hidden>
              <path d="M6 9l6 6 6-6" />
            </svg>
          </button>
        );
      }}
    </ConnectButton.Custom>
  );
}

/** The user clicked Connect before the stack had loaded: open the modal they asked for. */
function OpenModalOnIntent() {
  const { openConnectModal } = useConnectModal();
  useEffect(() => {
    if (!openConnectModal) return;
    // After every mount effect: RainbowKit's provider (a parent, so its effects run after ours) closes
    // all modals on mount while the SIWE status is "unauthenticated", which would shut this one at once.
    const t = window.setTimeout(() => {
      if (takeConnectIntent()) openConnectModal();
    }, 0);
    return () => window.clearTimeout(t);
  }, [openConnectModal]);
  return null;
}

/**
 * The wrong-network banner and the page's one toast container, mounted at the root of <body> (the
 * layout's LazyNetworkGuard), never inside the header: the header's backdrop-blur makes it the
 * containing block of fixed descendants, which put toasts above the top edge at 1280 px and off
 * screen on a scrolled phone page.
 */
export function NetworkGuardIsland() {
  const theme = useResolvedTheme();
  return (
    <>
      <WalletStack modals={false}>
        <NetworkGuard />
      </WalletStack>
      <Toaster theme={theme} position="bottom-right" closeButton />
    </>
  );
}

export function WalletSection({ children }: { children: ReactNode }) {
  return <WalletStack>{children}</WalletStack>;
}
