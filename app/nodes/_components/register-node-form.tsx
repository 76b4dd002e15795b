"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { parseEventLogs, type Address } from "viem";
import { useAccount } from "wagmi";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { useTxToast } from "@/components/wallet/use-tx-toast";
import { stakingAbi } from "@/contracts-abi/staking";

const kinds = [
  ["0", "GPU"],
  ["1", "CPU"],
  ["2", "Edge device"],
  ["3", "Browser"],
] as const;

/**
 * Staking.registerNode from the connected wallet; on success, opens the new node's page — or, where
 * the form is a step of another page (the worker's step 1), tells that page instead.
 */
export default function RegisterNodeForm({ staking, defaultKind = "0", onRegistered }: { staking: Address; defaultKind?: (typeof kinds)[number][0]; onRegistered?: (nodeId: bigint) => void }) {
  const router = useRouter();
  const { address } = useAccount();
  const { send, busy } = useTxToast();
  const [kind, setKind] = useState<string>(defaultKind);
  const [uri, setUri] = useState("");

  async function register(e: React.FormEvent) {
    e.preventDefault();
    const res = await send("Register node", { address: staking, abi: stakingAbi, functionName: "registerNode", args: [Number(kind), uri.trim()] });
    if (res.stage !== "confirmed") return;
    const [log] = parseEventLogs({ abi: stakingAbi, eventName: "NodeRegistered", logs: res.receipt.logs });
    if (!log) return;
    if (onRegistered) onRegistered(log.args.nodeId);
    else router.push(`/nodes/${log.args.nodeId}?new=1`);
  }

  return (
    <form onSubmit={register} className="grid gap-3 rounded border border-line p-4 sm:grid-cols-[10rem_1fr_auto] sm:items-end" aria-label="Register a node">
      <label className="text-sm">
        <span className="mb-1 block text-muted">Kind</span>
        <Select value={kind} onChange={(e) => setKind(e.target.value)}>
          {kinds.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </Select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block text-muted">Metadata URI (optional)</span>
        <Input value={uri} onChange={(e) => setUri(e.target.value)} placeholder="ipfs://… or https://…" />
      </label>
      <Button type="submit" disabled={busy || !address}>
        {address ? "Register" : "Connect a wallet first"}
      </Button>
    </form>
  );
}
