"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { isAddress, parseUnits, zeroAddress, type Address } from "viem";
import { useAccount } from "wagmi";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useTxToast } from "@/components/wallet/use-tx-toast";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";

type Props = { nodeId: string; owner: string; active: boolean; staking: Address; token: Address; canWithdraw: boolean; delegate: string };

/** "12.5" CXT → wei, or a message saying what is wrong with the amount. */
function parseCxt(text: string): bigint | string {
  const t = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(t)) return "Enter an amount in CXT, e.g. 100 or 12.5.";
  const wei = parseUnits(t, 18);
  return wei > 0n ? wei : "The amount must be more than 0.";
}

/** The owner's controls: stake, request unstake, withdraw released tranches, delegate governance weight. */
export function NodeActions(p: Props) {
  const router = useRouter();
  const { address } = useAccount();
  const { send, busy } = useTxToast();
  const [stakeAmount, setStakeAmount] = useState("");
  const [unstakeAmount, setUnstakeAmount] = useState("");
  const [delegateTo, setDelegateTo] = useState("");
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const nodeId = BigInt(p.nodeId);

  if (!address) return <p className="text-sm text-muted">Connect the owner&apos;s wallet to stake, unstake or withdraw.</p>;
  if (address.toLowerCase() !== p.owner.toLowerCase())
    return <p className="text-sm text-muted">Only the node&apos;s owner can stake on it or withdraw; the connected wallet is another account.</p>;

  const done = () => router.refresh();

  async function stake() {
    const amount = parseCxt(stakeAmount);
    if (typeof amount === "string") return setError({ field: "stake", message: amount });
    setError(null);
    const approved = await send("Approve CXT for staking", { address: p.token, abi: cxtTokenAbi, functionName: "approve", args: [p.staking, amount] });
    if (approved.stage !== "confirmed") return;
    const res = await send(`Stake ${stakeAmount} CXT`, { address: p.staking, abi: stakingAbi, functionName: "stake", args: [nodeId, amount] });
    if (res.stage === "confirmed") setStakeAmount("");
    done();
  }

  async function unstake() {
    const amount = parseCxt(unstakeAmount);
    if (typeof amount === "string") return setError({ field: "unstake", message: amount });
    setError(null);
    const res = await send(`Request unstake of ${unstakeAmount} CXT`, { address: p.staking, abi: stakingAbi, functionName: "requestUnstake", args: [nodeId, amount] });
    if (res.stage === "confirmed") setUnstakeAmount("");
    done();
  }

  async function withdraw() {
    await send("Withdraw released stake", { address: p.staking, abi: stakingAbi, functionName: "withdraw", args: [nodeId] });
    done();
  }

  async function delegate() {
    const to = delegateTo.trim();
    if (to && !isAddress(to)) return setError({ field: "delegate", message: "Enter a 0x address, or leave it empty to count your weight for yourself." });
    setError(null);
    await send(to ? `Delegate weight to ${to.slice(0, 8)}…` : "Take back your weight", { address: p.staking, abi: stakingAbi, functionName: "delegate", args: [(to || zeroAddress) as Address] });
    done();
  }

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
