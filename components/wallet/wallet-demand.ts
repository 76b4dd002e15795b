"use client";

import { useSyncExternalStore } from "react";

/**
 * Whether this page has asked for the wallet stack (wagmi + RainbowKit, ≈ 250 KB gzipped). Read-only
 * pages never ask, so they never download it; the first Connect click, a page section that needs a
 * wallet (WalletBoundary) or a wallet session left from an earlier visit asks, and every wallet
 * island on the page then loads. Once asked it stays loaded for the life of the tab.
 */
let requested = false;
let connectIntent = false;
const listeners = new Set<() => void>();

export function requestWallet(opts: { connect?: boolean } = {}): void {
  if (opts.connect) connectIntent = true;
  if (requested) return;
  requested = true;
  listeners.forEach((l) => l());
}

/** True once, for the island that opens the connect modal the user asked for. */
export function takeConnectIntent(): boolean {
  const had = connectIntent;
  connectIntent = false;
  return had;
}

export function useWalletRequested(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    () => requested,
    () => false,
  );
}

/** Whether wagmi's persisted store (localStorage `wagmi.store`) holds a connection to restore. */
export function hadWalletSession(storage: Pick<Storage, "getItem"> | undefined = globalThis.localStorage): boolean {
  try {
    const raw = storage?.getItem("wagmi.store");
    if (!raw) return false;
    return Boolean((JSON.parse(raw) as { state?: { current?: string | null } }).state?.current);
  } catch {
    return false;
  }
}

/** Loads the islands' code ahead of a likely click (hover, focus) without mounting anything. */
export function prefetchWallet(): void {
  void import("./wallet-islands");
}
