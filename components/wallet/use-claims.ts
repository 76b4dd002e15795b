"use client";
import { useQuery } from "@tanstack/react-query";
import type { ApiSchemas } from "@/lib/protocol";

/** GET /api/claims/{account}: the account's credentials and task fee leaves against the latest final epoch, with proofs. */
export type Claimable = ApiSchemas["Claimable"];
export type FeeLeaf = Claimable["fees"][number];

/**
 * What `account` can claim now, shared by every claim control (node page, dataset earnings) under one
 * query key, so a claim made in one refreshes the others.
 */
export function useClaims(account: string, opts: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ["corex", "claims", account],
    queryFn: async () => {
      const res = await fetch(`/api/claims/${account}`, { cache: "no-store" });
      if (!res.ok) throw new Error(((await res.json()) as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`);
      return (await res.json()) as Claimable;
    },
    refetchInterval: opts.refetchInterval,
  });
}
