"use client";

import { useRouter } from "next/navigation";
import { useCallback, useState, useTransition } from "react";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The block up to which the indexer has mirrored the chain (GET /api/health → indexer.checkpoint). */
async function mirroredBlock(): Promise<number | null> {
  try {
    const health = (await (await fetch("/api/health", { cache: "no-store" })).json()) as { indexer?: { checkpoint?: number | null } };
    return health.indexer?.checkpoint ?? null;
  } catch {
    return null;
  }
}

/**
 * After a confirmed transaction, the server-rendered figures come from the chain mirror, which may
 * not have the block yet: `afterBlock(n)` waits until the indexer's checkpoint reaches block n (up
 * to a minute), runs `then` (refetch client queries), and refreshes the page. `pending` holds from
 * the confirmation until the refreshed page is there, so a stale figure is never shown as current.
 */
export function useMirrorRefresh() {
  const router = useRouter();
  const [waitingFor, setWaitingFor] = useState<bigint | null>(null);
  const [refreshing, startTransition] = useTransition();

  const afterBlock = useCallback(
    async (block: bigint, then?: () => Promise<unknown>) => {
      setWaitingFor(block);
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const mirrored = await mirroredBlock();
        if (mirrored !== null && BigInt(mirrored) >= block) break;
        await sleep(500);
      }
      await then?.();
      startTransition(() => {
        router.refresh();
        setWaitingFor(null);
      });
    },
    [router],
  );

  return { pending: waitingFor !== null || refreshing, waitingFor, afterBlock };
}

/** The line shown while the mirror catches up with a confirmed transaction. */
export function mirrorPendingText(block: bigint | null): string {
  return `Confirmed${block !== null ? ` in block ${block}` : ""}: updating once the network mirror has recorded it…`;
}
