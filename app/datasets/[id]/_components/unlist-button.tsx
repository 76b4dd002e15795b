"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/lib/auth/client";

/** The provider takes the dataset out of the catalogue (after a confirmation): new jobs can no longer choose it. */
export function UnlistButton({ id }: { id: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function unlist() {
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/datasets/${id}/listing`, { method: "DELETE" });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  return (
    <div className="space-y-2 text-sm">
      {confirming ? (
        <p className="flex flex-wrap items-center gap-3">
          <span>Unlist it? New jobs will not be able to choose it; jobs already on it keep training and paying you.</span>
          <button type="button" disabled={busy} className="rounded border border-danger px-3 py-1.5 font-medium text-danger disabled:opacity-50" onClick={() => void unlist()}>
            {busy ? "Unlisting…" : "Yes, unlist"}
          </button>
          <button type="button" className="rounded border border-line-strong px-3 py-1.5" onClick={() => setConfirming(false)}>
            Keep it listed
          </button>
        </p>
      ) : (
        <button type="button" className="rounded border border-line-strong px-3 py-1.5" onClick={() => setConfirming(true)}>
          Unlist
        </button>
      )}
      {error ? <p role="alert" className="text-danger">{error}</p> : null}
    </div>
  );
}
