"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { formatCountdown } from "@/lib/mirror/staking";

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
  const offset = Date.parse(chainNow) - Date.parse(renderedAt);
  const left = () => Date.parse(target) - (Date.now() + offset);
  const [ms, setMs] = useState(() => Date.parse(target) - Date.parse(chainNow));
  useEffect(() => {
    setMs(left());
    const id = window.setInterval(() => setMs(left()), 1000);
    return () => window.clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target, chainNow, renderedAt]);
  return (
    <time dateTime={target} className="tabular-nums" title={new Date(target).toISOString()}>
      {formatCountdown(ms)}
    </time>
  );
}
