"use client";

import type { ReactNode } from "react";
import { useAccount } from "wagmi";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fundsDetail, StepIndicator } from "@/components/wallet/use-cxt-funds";
import { mirrorPendingText } from "@/components/wallet/use-mirror-refresh";
import { formatCxtWithUnit } from "@/lib/format/client";
import { parseCxt, useNodeActions, type NodeActionsProps } from "./use-node-actions";

/** The owner's controls: stake, request unstake, withdraw released tranches, delegate governance weight. */
export function NodeActions(p: NodeActionsProps) {
  const { address } = useAccount();
  const a = useNodeActions(p);

  if (!address) return <p className="text-sm text-muted">Connect the owner&apos;s wallet to stake, unstake or withdraw.</p>;
  if (address.toLowerCase() !== p.owner.toLowerCase())
    return <p className="text-sm text-muted">Only the node&apos;s owner can stake on it or withdraw; the connected wallet is another account.</p>;

  const fieldError = (field: string) =>
    a.error?.field === field ? (
      <p role="alert" className="mt-1 text-xs text-danger">
        {a.error.message}
      </p>
    ) : null;
  const typed = parseCxt(a.stakeAmount);

  return (
    <div className="space-y-4">
      {a.mirror.pending ? (
        <p role="status" data-testid="mirror-pending" className="rounded border border-line bg-surface px-3 py-2 text-sm text-muted">
          {mirrorPendingText(a.mirror.waitingFor)}
        </p>
      ) : a.result ? (
        <p role="status" data-testid="tx-result" className="rounded border border-line bg-surface px-3 py-2 text-sm">
          {a.result}
        </p>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2">
        <Action title="Stake" hint="Active stake counts for the tier and for governance weight. An approval is asked for first when the allowance is short.">
          <AmountForm
            label="Amount to stake (CXT)"
            value={a.stakeAmount}
            onChange={a.setStakeAmount}
            onSubmit={a.stake}
            disabled={a.busy || !p.active || a.stakeProblem !== null}
            cta={a.stakeProblem ?? "Stake"}
            onMax={a.balance !== undefined && a.balance > 0n ? a.max : undefined}
          />
          <p className="mt-1 text-xs text-muted" data-testid="cxt-wallet-balance">
            Wallet: {a.balance === undefined ? "…" : formatCxtWithUnit(a.balance)}
            {a.preview ? <span data-testid="tier-preview"> · {a.preview}</span> : null}
          </p>
          {a.stakeProblem && typeof typed === "bigint" && a.balance !== undefined ? <p className="mt-1 text-xs text-warn">{fundsDetail(typed, a.balance)}</p> : null}
          {!p.active ? <p className="mt-1 text-xs text-muted">This node is deactivated: it cannot take new stake.</p> : null}
          <StepIndicator step={a.step} />
          {fieldError("stake")}
        </Action>
        <Action title="Request unstake" hint="Moves stake into a new unbonding tranche; it stays slashable until its release time.">
          <AmountForm label="Amount to unstake (CXT)" value={a.unstakeAmount} onChange={a.setUnstakeAmount} onSubmit={a.unstake} disabled={a.busy} cta="Request unstake" />
          {fieldError("unstake")}
        </Action>
        <Action title="Withdraw" hint="Pays out every tranche whose release time has passed; later ones keep waiting.">
          <Button type="button" disabled={a.busy} onClick={() => void a.withdraw()}>
            Withdraw released stake
          </Button>
          {!p.canWithdraw ? (
            <p className="mt-1 text-xs text-muted">
              {p.hasTranches ? "Nothing is released yet: the unbonding tranches above show when each is." : "Nothing is unbonding: request an unstake first."}
            </p>
          ) : null}
        </Action>
        <Action title="Delegate governance weight" hint={`Your weight now counts for ${p.delegate.toLowerCase() === p.owner.toLowerCase() ? "yourself" : p.delegate}.`}>
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              void a.delegate();
            }}
          >
            <label className="sr-only" htmlFor="delegate-to">
              Delegate to (address)
            </label>
            <Input id="delegate-to" value={a.delegateTo} onChange={(e) => a.setDelegateTo(e.target.value)} placeholder="0x… (empty: yourself)" />
            <Button type="submit" disabled={a.busy}>
              Delegate
            </Button>
          </form>
          {fieldError("delegate")}
        </Action>
      </div>
    </div>
  );
}

function Action({ title, hint, children }: { title: string; hint: string; children: ReactNode }) {
  return (
    <section className="min-w-0 rounded border border-line p-4">
      <h3 className="font-medium">{title}</h3>
      <p className="mb-3 mt-1 text-xs text-muted">{hint}</p>
      {children}
    </section>
  );
}

type AmountFormProps = { label: string; value: string; onChange: (v: string) => void; onSubmit: () => Promise<void>; disabled: boolean; cta: string; onMax?: () => void };

function AmountForm(p: AmountFormProps) {
  return (
    <form
      className="flex flex-wrap gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void p.onSubmit();
      }}
    >
      <Input className="min-w-0 flex-1 basis-32" aria-label={p.label} inputMode="decimal" value={p.value} onChange={(e) => p.onChange(e.target.value)} placeholder="CXT" />
      {p.onMax ? (
        <button type="button" className="rounded border border-line px-2 text-xs font-semibold text-muted hover:text-fg" onClick={p.onMax}>
          MAX
        </button>
      ) : null}
      <Button type="submit" className="whitespace-nowrap" disabled={p.disabled}>
        {p.cta}
      </Button>
    </form>
  );
}
