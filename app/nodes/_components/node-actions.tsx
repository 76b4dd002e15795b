"use client";

import type { ReactNode } from "react";
import { useAccount } from "wagmi";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useNodeActions, type NodeActionsProps } from "./use-node-actions";

/** The owner's controls: stake, request unstake, withdraw released tranches, delegate governance weight. */
export function NodeActions(p: NodeActionsProps) {
  const { address } = useAccount();
  const { busy, stakeAmount, setStakeAmount, unstakeAmount, setUnstakeAmount, delegateTo, setDelegateTo, error, stake, unstake, withdraw, delegate } = useNodeActions(p);

  if (!address) return <p className="text-sm text-muted">Connect the owner&apos;s wallet to stake, unstake or withdraw.</p>;
  if (address.toLowerCase() !== p.owner.toLowerCase())
    return <p className="text-sm text-muted">Only the node&apos;s owner can stake on it or withdraw; the connected wallet is another account.</p>;

  const fieldError = (field: string) =>
    error?.field === field ? (
      <p role="alert" className="mt-1 text-xs text-danger">
        {error.message}
      </p>
    ) : null;

  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Action title="Stake" hint="Approve, then stake CXT on this node. Active stake counts for the tier and for governance weight.">
        <AmountForm label="Amount to stake (CXT)" value={stakeAmount} onChange={setStakeAmount} onSubmit={stake} disabled={busy || !p.active} cta="Stake" />
        {!p.active ? <p className="mt-1 text-xs text-muted">This node is deactivated: it cannot take new stake.</p> : null}
        {fieldError("stake")}
      </Action>
      <Action title="Request unstake" hint="Moves stake into a new unbonding tranche; it stays slashable until its release time.">
        <AmountForm label="Amount to unstake (CXT)" value={unstakeAmount} onChange={setUnstakeAmount} onSubmit={unstake} disabled={busy} cta="Request unstake" />
        {fieldError("unstake")}
      </Action>
      <Action title="Withdraw" hint="Pays out every tranche whose release time has passed; later ones keep waiting.">
        <Button type="button" disabled={busy} onClick={() => void withdraw()}>
          Withdraw released stake
        </Button>
        {!p.canWithdraw ? <p className="mt-1 text-xs text-muted">Nothing is released yet: the countdown above says when.</p> : null}
      </Action>
      <Action title="Delegate governance weight" hint={`Your weight now counts for ${p.delegate.toLowerCase() === p.owner.toLowerCase() ? "yourself" : p.delegate}.`}>
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void delegate();
          }}
        >
          <label className="sr-only" htmlFor="delegate-to">
            Delegate to (address)
          </label>
          <Input id="delegate-to" value={delegateTo} onChange={(e) => setDelegateTo(e.target.value)} placeholder="0x… (empty: yourself)" />
          <Button type="submit" disabled={busy}>
            Delegate
          </Button>
        </form>
        {fieldError("delegate")}
      </Action>
    </div>
  );
}

function Action({ title, hint, children }: { title: string; hint: string; children: ReactNode }) {
  return (
    <section className="rounded border border-line p-4">
      <h3 className="font-medium">{title}</h3>
      <p className="mb-3 mt-1 text-xs text-muted">{hint}</p>
      {children}
    </section>
  );
}

function AmountForm(p: { label: string; value: string; onChange: (v: string) => void; onSubmit: () => Promise<void>; disabled: boolean; cta: string }) {
  return (
    <form
      className="flex gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void p.onSubmit();
      }}
    >
      <Input aria-label={p.label} inputMode="decimal" value={p.value} onChange={(e) => p.onChange(e.target.value)} placeholder="CXT" />
      <Button type="submit" className="whitespace-nowrap" disabled={p.disabled}>
        {p.cta}
      </Button>
    </form>
  );
}
