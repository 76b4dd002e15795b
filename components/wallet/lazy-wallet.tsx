"use client";

import { lazy, Suspense, useEffect, useSyncExternalStore, type ReactNode } from "react";
import { hadWalletSession, prefetchWallet, requestWallet, useWalletRequested } from "./wallet-demand";

// Separate chunks, fetched only once the page asks for the wallet (wallet-demand.ts).
const HeaderWalletIsland = lazy(() => import("./wallet-islands").then((m) => ({ default: m.HeaderWalletIsland })));
const NetworkGuardIsland = lazy(() => import("./wallet-islands").then((m) => ({ default: m.NetworkGuardIsland })));
const WalletSection = lazy(() => import("./wallet-islands").then((m) => ({ default: m.WalletSection })));

/** One look for the placeholder and the loaded button, so nothing jumps when the stack arrives. */
export const walletButtonBase =
  "inline-flex h-9 shrink-0 items-center gap-2 rounded-xl px-3 text-sm font-bold shadow-sm transition-transform hover:scale-[1.03]";
export const walletButtonClass = `${walletButtonBase} bg-accent-solid text-on-accent`;

const noop = () => () => {};
/** False during SSR and hydration, true after: the wallet stack is browser-only. */
function useIsClient(): boolean {
  return useSyncExternalStore(noop, () => true, () => false);
}

/**
 * The header's wallet button. Until the wallet stack is needed it is a plain button that looks the
 * same; a click loads the stack and opens RainbowKit's connect modal. A session left connected on an
 * earlier visit loads the stack when the browser is idle, so the account shows again by itself.
 */
export function WalletButton() {
  const requested = useWalletRequested();
  useEffect(() => {
    if (!hadWalletSession()) return;
    const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 200));
    idle(() => requestWallet());
  }, []);
  const placeholder = (busy: boolean) => (
    <button
      type="button"
      aria-busy={busy || undefined}
      className={walletButtonClass}
      onPointerEnter={prefetchWallet}
      onFocus={prefetchWallet}
      onClick={() => requestWallet({ connect: true })}
    >
      Connect Wallet
    </button>
  );
  if (!requested) return placeholder(false);
  return (
    <Suspense fallback={placeholder(true)}>
      <HeaderWalletIsland />
    </Suspense>
  );
}

/** The wrong-network banner and the toast container (at the root of <body>); nothing (and no code) until a wallet is in play. */
export function LazyNetworkGuard() {
  const requested = useWalletRequested();
  if (!requested) return null;
  return (
    <Suspense fallback={null}>
      <NetworkGuardIsland />
    </Suspense>
  );
}

/**
 * Wrap the part of a page that uses wagmi hooks, RainbowKit or useTxToast in this: it loads the
 * wallet stack when it mounts and renders `fallback` (SSR included) until it is there. Pages
 * without one never download the wallet stack.
 *
 *   <WalletBoundary fallback={<Skeleton className="h-40" />}><StakeForm /></WalletBoundary>
 */
export function WalletBoundary({ children, fallback = null }: { children: ReactNode; fallback?: ReactNode }) {
  const isClient = useIsClient();
  useEffect(() => requestWallet(), []);
  if (!isClient) return <>{fallback}</>;
  return (
    <Suspense fallback={fallback}>
      <WalletSection>{children}</WalletSection>
    </Suspense>
  );
}
