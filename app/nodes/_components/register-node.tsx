"use client";

import { lazy, Suspense, useState } from "react";
import type { Address } from "viem";
import { Skeleton } from "@/components/page-header";
import { button } from "@/components/progress-bar";
import { WalletBoundary } from "@/components/wallet";

// The form (wagmi, toasts) is its own chunk: /nodes only reads until someone asks to register.
const RegisterNodeForm = lazy(() => import("./register-node-form"));

export function RegisterNode({ staking }: { staking: Address | undefined }) {
  const [open, setOpen] = useState(false);
  if (!staking) return <p className="text-sm text-muted">No Staking contract is deployed on this chain yet.</p>;
  if (!open)
    return (
      <button type="button" className={button} onClick={() => setOpen(true)}>
        Register a node
      </button>
    );
  const fallback = <Skeleton className="h-20" />;
  return (
    <WalletBoundary fallback={fallback}>
      <Suspense fallback={fallback}>
        <RegisterNodeForm staking={staking} />
      </Suspense>
    </WalletBoundary>
  );
}
