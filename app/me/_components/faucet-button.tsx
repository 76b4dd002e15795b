"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { apiFetch, ApiRequestError } from "@/lib/auth/client";
import { formatCxtWithUnit } from "@/lib/format/client";

type Drip = { amount: string; balance: string; hash: string };

/**
 * Dev chain only (the page renders it on 31337, the server refuses elsewhere): dev CXT for the
 * signed-in wallet from the dev stack's faucet, so a new account can stake without scripts.
 */
export function FaucetButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const drip = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const d = await apiFetch<Drip>("/api/faucet", { method: "POST" });
      setMessage({ ok: true, text: `Sent ${formatCxtWithUnit(d.amount)} from the dev faucet — your wallet now holds ${formatCxtWithUnit(d.balance)}.` });
      // The figures above come from the chain mirror: refresh once the indexer has had time to see the block.
      for (const ms of [1_000, 3_000]) window.setTimeout(() => router.refresh(), ms);
    } catch (e) {
      const text = e instanceof ApiRequestError ? (e.status === 429 ? `Already sent to this wallet recently: ${e.message}` : e.message) : String(e);
      setMessage({ ok: false, text });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-3 rounded border border-dashed border-line p-3 text-sm">
      <Button type="button" onClick={() => void drip()} disabled={busy} aria-busy={busy || undefined}>
        {busy ? "Sending dev CXT…" : "Get dev CXT"}
      </Button>
      <span className="text-muted">Dev chain only: play-money CXT from the dev stack&apos;s faucet, once an hour per wallet.</span>
      <p role="status" className={message?.ok === false ? "w-full text-danger" : "w-full"} data-testid="faucet-result">
        {message?.text}
      </p>
    </div>
  );
}
