"use client";

import { lazy, Suspense, useState } from "react";
import type { Address } from "viem";
import { Skeleton } from "@/components/ui/skeleton";
import { Button } from "@/components/ui/button";
import { WalletBoundary } from "@/components/wallet";

// The form (wagmi, toasts) is its own chunk: /nodes only reads until someone asks to register.
const RegisterNodeForm = lazy(() => import("./register-node-form"));

export function RegisterNode({ staking }: { staking: Address | undefined }) {
  const [open, setOpen] = useState(false);
  if (!staking) return <p className="text-sm text-muted">No Staking contract is deployed on this chain yet.</p>;
  if (!open)
    return (
      <Button type="button" onClick={() => setOpen(true)}>
        Register a node
      </Button>
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
