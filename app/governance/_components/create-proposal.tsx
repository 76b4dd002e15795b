"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { encodeFunctionData, isAddress, isHex, type Address, type Hex } from "viem";
import { useAccount } from "wagmi";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { useTxToast } from "@/components/wallet/use-tx-toast";
import { corexGovernorAbi } from "@/contracts-abi/corex-governor";
import { timelockControllerAbi } from "@/contracts-abi/timelock-controller";

/**
 * CorexGovernor.propose with one action: either a preset (set the timelock's delay — a change the
 * timelock can only make to itself through a proposal) or any call given as target + calldata.
 */
export function CreateProposal({ governor, timelock }: { governor: Address; timelock: Address }) {
  const router = useRouter();
  const { address } = useAccount();
  const { send, busy } = useTxToast();
  const [kind, setKind] = useState<"delay" | "custom">("delay");
  const [delay, setDelay] = useState("60");
  const [target, setTarget] = useState("");
  const [calldata, setCalldata] = useState("0x");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    let action: { target: Address; calldata: Hex };
    if (!description.trim()) return setError("Describe the proposal: voters read this first.");
    if (kind === "delay") {
      if (!/^\d{1,9}$/.test(delay)) return setError("The delay is a whole number of seconds.");
      action = { target: timelock, calldata: encodeFunctionData({ abi: timelockControllerAbi, functionName: "updateDelay", args: [BigInt(delay)] }) };
    } else {
      if (!isAddress(target)) return setError("The target must be a 0x address.");
      if (!isHex(calldata)) return setError("The calldata must be 0x-prefixed hex.");
      action = { target, calldata };
    }
    setError(null);
    const res = await send("Create proposal", {
      address: governor,
      abi: corexGovernorAbi,
      functionName: "propose",
      args: [[action.target], [0n], [action.calldata], description.trim()],
    });
    if (res.stage === "confirmed") setDescription("");
    router.refresh();
  }

  return (
    <form onSubmit={submit} aria-label="Create a proposal" className="grid gap-3 rounded border border-line p-4">
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 text-muted">Action</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="kind" checked={kind === "delay"} onChange={() => setKind("delay")} /> Set the timelock delay
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="kind" checked={kind === "custom"} onChange={() => setKind("custom")} /> Custom call
        </label>
      </fieldset>
      {kind === "delay" ? (
        <label className="text-sm">
          <span className="mb-1 block text-muted">New delay (seconds)</span>
          <Input inputMode="numeric" value={delay} onChange={(e) => setDelay(e.target.value)} />
        </label>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          <label className="text-sm">
            <span className="mb-1 block text-muted">Target contract</span>
            <Input value={target} onChange={(e) => setTarget(e.target.value)} placeholder="0x…" />
          </label>
          <label className="text-sm">
            <span className="mb-1 block text-muted">Calldata</span>
            <Input className="font-mono" value={calldata} onChange={(e) => setCalldata(e.target.value)} />
          </label>
        </div>
      )}
      <label className="text-sm">
        <span className="mb-1 block text-muted">Description</span>
        <Textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
      <div>
        <Button type="submit" disabled={busy || !address}>
          {address ? "Propose" : "Connect a wallet to propose"}
        </Button>
      </div>
    </form>
  );
}
