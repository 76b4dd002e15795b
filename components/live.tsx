"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { formatCountdown } from "@/lib/mirror/client";

/** Re-renders the server page every `seconds` while the tab is visible, so mirrored figures stay live. */
export function LiveRefresh({ seconds = 5 }: { seconds?: number }) {
  const router = useRouter();
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, seconds * 1000);
    return () => window.clearInterval(id);
  }, [router, seconds]);
  return null;
}

/**
 * Time left until `target` on the CHAIN's clock: `chainNow` is the newest indexed block's time, which on
 * a dev chain (evm_increaseTime) runs ahead of the wall clock, so the offset between them is kept.
 */
export function Countdown({ target, chainNow, renderedAt }: { target: string; chainNow: string; renderedAt: string }) {
  // Until the first tick, the time left as the server rendered it (the same on server and client).
  const [wallNow, setWallNow] = useState<number | null>(null);
  useEffect(() => {
    const id = window.setInterval(() => setWallNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);
  const chainClock = wallNow === null ? Date.parse(chainNow) : Date.parse(chainNow) + (wallNow - Date.parse(renderedAt));
  const ms = Date.parse(target) - chainClock;
  return (
    <time dateTime={target} className="tabular-nums" title={new Date(target).toISOString()}>
      {formatCountdown(ms)}
    </time>
  );
}
